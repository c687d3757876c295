package io.lethe.admission;

import io.lethe.common.Ids;
import io.lethe.engine.Admission;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationQueries;
import io.lethe.engine.OperationState;
import io.lethe.engine.OperationType;
import io.lethe.engine.WorkflowProperties;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Lets erase operations start within {@code lethe.workflow.max-erases-per-host} and {@code
 * max-erases}, first come first served per host. The host's slot row, then the global one, is
 * locked while deciding, so replicas decide one after another; an operation holds its slot from
 * admission until it ends, which the count sees without any release step to forget.
 */
@Component
public class EraseAdmission implements Admission {

    /**
     * Operations that take an erase slot; conditions name them and their states as bound
     * parameters.
     */
    private static final Set<OperationType> ERASE_TYPES =
            Collections.unmodifiableSet(
                    EnumSet.of(OperationType.SECURE_ERASE, OperationType.DECOMMISSION));

    private final JdbcTemplate jdbc;
    private final WorkflowProperties properties;
    private final EntityManager entities;
    private final OperationQueries operations;

    public EraseAdmission(
            JdbcTemplate jdbc,
            WorkflowProperties properties,
            EntityManager entities,
            OperationQueries operations) {
        this.operations = operations;
        this.entities = entities;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * Admits, oldest first, those of these waiting operations whose turn has come while slots are
     * free, and answers their ids; the caller holds their row locks. One look at the counts serves
     * a whole wave.
     */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Set<UUID> admit(List<Operation> waiting) {
        // The counts below read through JDBC: operations this transaction changed a moment ago must
        // be written first, or they would not count.
        entities.flush();
        Map<UUID, List<Operation>> byHost = new TreeMap<>();
        waiting.stream()
                .sorted(Comparator.comparing(Operation::id, Ids.ORDER))
                .forEach(op -> byHost.computeIfAbsent(op.hostId(), h -> new ArrayList<>()).add(op));
        for (UUID host : byHost.keySet()) {
            // Two replicas may create the host's slot row at once: the second insert does nothing.
            jdbc.update(
                    "insert into erase_slots (slot_key) values (?) on conflict do nothing",
                    host.toString());
            jdbc.queryForList(
                    "select slot_key from erase_slots where slot_key = ? for update",
                    String.class,
                    host.toString());
        }
        jdbc.queryForList(
                "select slot_key from erase_slots where slot_key = 'global' for update",
                String.class);
        long everywhere = operations.admitted(ERASE_TYPES);
        Set<UUID> admitted = new HashSet<>();
        for (Map.Entry<UUID, List<Operation>> host : byHost.entrySet()) {
            HostQueue queue = queue(host.getKey());
            for (Operation op : host.getValue()) {
                // First come, first served: a slot goes to this operation only if every older one
                // waiting on the host gets one too, so older ones are never overtaken. (Those this
                // call admitted are not written yet and still count as older ones waiting.)
                if (queue.admitted() + queue.position(op.id()) - 1 >= properties.maxErasesPerHost()
                        || everywhere + admitted.size() >= properties.maxErases()) {
                    break;
                }
                op.admit();
                admitted.add(op.id());
            }
        }
        return admitted;
    }

    /**
     * The host's erase operations as admission sees them now, read in the caller's transaction
     * (written changes only: a caller that changed operations through JPA flushes first).
     */
    public HostQueue queue(UUID hostId) {
        return new HostQueue(operations.activeOnHost(hostId, ERASE_TYPES));
    }

    /** 1 when the operation is next on its host; higher while older ones wait before it. */
    public int position(Operation op) {
        return queue(op.hostId()).position(op.id());
    }

    /**
     * A host's active erase operations, in id order: those holding a slot, and those waiting for
     * one.
     */
    public static final class HostQueue {
        private final List<OperationQueries.Active> active;

        HostQueue(List<OperationQueries.Active> active) {
            this.active = active;
        }

        /** Erase operations of the host holding a slot now. */
        public long admitted() {
            return active.stream().filter(OperationQueries.Active::admitted).count();
        }

        /** Whether erase operations of the host still wait for a slot (cancelled ones aside). */
        public boolean anyWaiting() {
            return active.stream().anyMatch(a -> waiting(a) && !a.cancelRequested());
        }

        /**
         * 1 when the operation is next; higher by each older one still waiting for a slot (one
         * whose cancel was requested included: it leaves the queue when it ends).
         */
        public int position(UUID operationId) {
            int older = 0;
            for (OperationQueries.Active a : active) {
                if (waiting(a) && Ids.ORDER.compare(a.id(), operationId) < 0) {
                    older++;
                }
            }
            return older + 1;
        }

        private static boolean waiting(OperationQueries.Active a) {
            return a.state() == OperationState.QUEUED && !a.admitted();
        }
    }
}
