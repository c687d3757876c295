package io.lethe.operation;

import io.lethe.common.WireEnum;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Arrays;
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
class EraseAdmission {

    /**
     * Operations that take an erase slot; conditions name them and their states as bound
     * parameters.
     */
    private static final Set<OperationType> ERASE_TYPES =
            Collections.unmodifiableSet(
                    EnumSet.of(OperationType.SECURE_ERASE, OperationType.DECOMMISSION));

    private static final String ERASES = "type in (" + WireEnum.parameters(ERASE_TYPES) + ")";
    private static final String ACTIVE =
            "state in (" + WireEnum.parameters(OperationState.ACTIVE) + ")";
    private final JdbcTemplate jdbc;
    private final WorkflowProperties properties;
    private final EntityManager entities;

    EraseAdmission(JdbcTemplate jdbc, WorkflowProperties properties, EntityManager entities) {
        this.entities = entities;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * Admits, oldest first, those of these waiting operations whose turn has come while slots are
     * free, and answers their ids; the caller holds their row locks. One look at the counts serves
     * a whole wave.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Set<UUID> admit(List<Operation> waiting) {
        // The counts below read through JDBC: operations this transaction changed a moment ago must
        // be written first, or they would not count.
        entities.flush();
        Map<UUID, List<Operation>> byHost = new TreeMap<>();
        waiting.stream()
                .sorted(Comparator.comparing(Operation::id))
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
        long everywhere =
                jdbc.queryForObject(
                        "select count(*) from operations where admitted and "
                                + ERASES
                                + " and "
                                + ACTIVE,
                        Long.class,
                        args(List.of()));
        Set<UUID> admitted = new HashSet<>();
        for (Map.Entry<UUID, List<Operation>> host : byHost.entrySet()) {
            long onHost = admittedOnHost(host.getKey());
            for (Operation op : host.getValue()) {
                // First come, first served: a slot goes to this operation only if every older one
                // waiting on the host gets one too, so older ones are never overtaken. (Those this
                // call admitted are not written yet and still count as older ones waiting.)
                if (onHost + position(op) - 1 >= properties.maxErasesPerHost()
                        || everywhere + admitted.size() >= properties.maxErases()) {
                    break;
                }
                op.admit();
                admitted.add(op.id());
            }
        }
        return admitted;
    }

    /** Erase operations of the host holding a slot now. */
    long admittedOnHost(UUID hostId) {
        return jdbc.queryForObject(
                "select count(*) from operations where host_id = ? and admitted and "
                        + ERASES
                        + " and "
                        + ACTIVE,
                Long.class,
                args(List.of(hostId)));
    }

    /** Whether erase operations of the host still wait for a slot (cancelled ones aside). */
    boolean anyWaitingOnHost(UUID hostId) {
        return jdbc.queryForObject(
                        "select count(*) from operations where host_id = ? and not admitted and state = ?"
                                + " and not cancel_requested and "
                                + ERASES,
                        Long.class,
                        queuedErases(hostId))
                > 0;
    }

    /** 1 when the operation is next on its host; higher while older ones wait before it. */
    int position(Operation op) {
        return position(op.hostId(), op.id());
    }

    int position(UUID hostId, UUID operationId) {
        Long older =
                jdbc.queryForObject(
                        "select count(*) from operations where host_id = ? and state = ? and not admitted"
                                + " and id < ? and "
                                + ERASES,
                        Long.class,
                        queuedErases(hostId, operationId));
        return older.intValue() + 1;
    }

    /**
     * {@code before}, then the erase types, then the active states: the parameters of {@code ERASES
     * and ACTIVE}.
     */
    private static Object[] args(List<Object> before) {
        List<Object> args = new ArrayList<>(before);
        args.addAll(WireEnum.wires(ERASE_TYPES));
        args.addAll(WireEnum.wires(OperationState.ACTIVE));
        return args.toArray();
    }

    /** The host, {@code queued}, what follows, then the erase types. */
    private static Object[] queuedErases(Object... following) {
        List<Object> args = new ArrayList<>();
        args.add(following[0]);
        args.add(OperationState.QUEUED.wire());
        args.addAll(Arrays.asList(following).subList(1, following.length));
        args.addAll(WireEnum.wires(ERASE_TYPES));
        return args.toArray();
    }
}
