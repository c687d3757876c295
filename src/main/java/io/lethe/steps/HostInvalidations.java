package io.lethe.steps;

import io.lethe.admission.EraseAdmission;
import io.lethe.common.TransactionMemo;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationQueries;
import io.lethe.engine.OperationType;
import io.lethe.engine.ServedOperations;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import io.lethe.engine.WorkflowProperties;
import io.lethe.region.HostLedger;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Coalesced cache invalidation per host, across replicas: the host's row in {@code
 * host_invalidations} is locked while deciding, records who is invalidating now and when the last
 * successful invalidation began. The operation that performs one also moves on every waiting
 * operation of the host that it serves, in the transaction that records it.
 */
@Component
class HostInvalidations {

    /**
     * Steps that come before the invalidation in some operation type: while one is open, the change
     * is not over.
     */
    private static final Set<StepName> BEFORE_INVALIDATION = stepsBefore(StepName.INVALIDATE_CACHE);

    /** Operations that need no admission: they count as changing before they are admitted. */
    private static final Set<OperationType> WITHOUT_ADMISSION = Set.of(OperationType.UNLOCK_DEVICE);

    private final JdbcTemplate jdbc;
    private final ServedOperations served;
    private final CoalescingPolicy policy;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final int maxErasesPerHost;
    private final EraseAdmission admission;
    private final EntityManager entities;
    private final HostLedger regions;
    private final OperationQueries queries;
    private final TransactionMemo<UUID, Boolean> decided = new TransactionMemo<>();

    HostInvalidations(
            JdbcTemplate jdbc,
            ServedOperations served,
            WorkflowProperties properties,
            PlatformTransactionManager transactions,
            Clock clock,
            EraseAdmission admission,
            EntityManager entities,
            HostLedger regions,
            OperationQueries queries) {
        this.queries = queries;
        this.regions = regions;
        this.entities = entities;
        this.admission = admission;
        this.jdbc = jdbc;
        this.served = served;
        this.policy =
                new CoalescingPolicy(
                        properties.coalescingWindow(), properties.stepTimeout().multipliedBy(2));
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.maxErasesPerHost = properties.maxErasesPerHost();
    }

    /**
     * Whether the operation, about to start {@code invalidate-cache}, should wait for other active
     * operations of the host that have yet to end their erase or unlock. The host's row is locked
     * first, so two operations whose erases end together decide one after the other: the second
     * sees the first waiting (not erasing) and goes ahead, instead of both waiting for each other.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean othersStillChanging(Operation op) {
        // Decided once per host and transaction. The members of a wave ask as they start the step,
        // and between their questions the transaction only starts steps (an open step stays open)
        // or cancels an operation (which can only end a change, so the remembered answer errs
        // towards waiting and a later look). The operation asking is at invalidate-cache, so it is
        // no erase to wait for in anyone's count. Asking again would flush the whole persistence
        // context each time: for an execution of many hosts, most of a round's work.
        return decided.get(
                op.hostId(),
                host -> {
                    lockHost(host);
                    // The count reads through JDBC: steps this transaction recorded (a wave's
                    // other members) must be written first.
                    entities.flush();
                    return othersStillChanging(host, op.id());
                });
    }

    private void lockHost(UUID hostId) {
        // The host's order lock first: every transaction touching the barrier of a host takes it
        // before anything else.
        regions.lockHostOrder(hostId);
        // The row exists after the host's first decision: then the lock alone, a transaction that
        // writes nothing.
        if (jdbc.queryForList(
                        "select host_id from host_invalidations where host_id = ? for update",
                        UUID.class,
                        hostId)
                .isEmpty()) {
            jdbc.update(
                    "insert into host_invalidations (host_id, invalidations) values (?, 0) on conflict do nothing",
                    hostId);
            jdbc.queryForList(
                    "select host_id from host_invalidations where host_id = ? for update",
                    UUID.class,
                    hostId);
        }
    }

    /**
     * Admitted operations before their invalidation count, and so do queued ones while the host has
     * a free erase slot (they are about to be admitted into this wave); queued ones beyond the
     * host's limit wait for a later wave and do not hold this one up.
     */
    private boolean othersStillChanging(UUID hostId, UUID self) {
        if (queries.othersBeforeSteps(hostId, self, BEFORE_INVALIDATION, WITHOUT_ADMISSION)) {
            return true;
        }
        EraseAdmission.HostQueue queue = admission.queue(hostId);
        return queue.admitted() < maxErasesPerHost && queue.anyWaiting();
    }

    /**
     * The decision, with the host order number of the invalidation that serves the operation
     * (covered) or that it claimed, and when the last one was reported to start (shown only).
     */
    record Verdict(CoalescingPolicy.Decision decision, Long seq, Instant lastStartedAt) {}

    /** Decides under the host's row lock; a claim is committed before the caller invalidates. */
    Verdict decide(UUID hostId, UUID self, Long changeSeq, Instant waitingSince) {
        return tx.execute(
                s -> {
                    lockHost(hostId);
                    CoalescingPolicy.HostState host =
                            jdbc.queryForObject(
                                    "select claimed_by, claimed_at, last_seq from host_invalidations where host_id = ?",
                                    (rs, n) ->
                                            new CoalescingPolicy.HostState(
                                                    rs.getObject(1, UUID.class),
                                                    instant(rs.getTimestamp(2)),
                                                    (Long) rs.getObject(3, Long.class)),
                                    hostId);
                    Instant lastStartedAt =
                            jdbc.queryForObject(
                                    "select last_started_at from host_invalidations where host_id = ?",
                                    (rs, n) -> instant(rs.getTimestamp(1)),
                                    hostId);
                    Instant now = clock.instant();
                    CoalescingPolicy.Decision decision =
                            policy.decide(
                                    host,
                                    self,
                                    changeSeq,
                                    othersStillChanging(hostId, self),
                                    waitingSince,
                                    now);
                    if (decision == CoalescingPolicy.Decision.CLAIM) {
                        // Numbered before the invalidation starts: it covers exactly the changes
                        // recorded before this.
                        long seq = regions.nextInvalidationNumber(hostId);
                        jdbc.update(
                                "update host_invalidations set claimed_by = ?, claimed_at = ?, claim_seq = ? where host_id = ?",
                                self,
                                Timestamp.from(now),
                                seq,
                                hostId);
                        return new Verdict(decision, seq, lastStartedAt);
                    }
                    return new Verdict(decision, host.lastSeq(), lastStartedAt);
                });
    }

    /** The claimed invalidation failed: let the next one try. */
    void release(UUID hostId, UUID self) {
        tx.executeWithoutResult(
                s ->
                        jdbc.update(
                                "update host_invalidations set claimed_by = null, claimed_at = null where host_id = ? and claimed_by = ?",
                                hostId,
                                self));
    }

    /**
     * The leader's invalidation numbered {@code seq} (reported to begin at {@code startedAt})
     * succeeded: record it and move on every operation of the host waiting at {@code
     * invalidate-cache} whose memory change was recorded before that number was taken.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void succeeded(UUID hostId, UUID leader, long seq, Instant startedAt, String evidence) {
        // The waiting operations are found through JDBC: this transaction's changes must be written
        // first.
        entities.flush();
        jdbc.update(
                "update host_invalidations set claimed_by = null, claimed_at = null, claim_seq = null,"
                        + " invalidations = invalidations + 1,"
                        + " last_started_at = case when last_seq is null or last_seq < ? then ? else last_started_at end,"
                        + " last_seq = case when last_seq is null or last_seq < ? then ? else last_seq end"
                        + " where host_id = ?",
                seq,
                Timestamp.from(startedAt),
                seq,
                seq,
                hostId);
        List<UUID> waiting = queries.runningAt(hostId, leader, StepName.INVALIDATE_CACHE, seq);
        String detail = "served by the host's invalidation (" + evidence + ") started " + startedAt;
        served.recordServed(
                waiting,
                StepName.INVALIDATE_CACHE,
                new StepResult.Done(detail, records -> records.invalidation(seq, startedAt)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Set<StepName> stepsBefore(StepName step) {
        Set<StepName> before = EnumSet.noneOf(StepName.class);
        for (OperationType type : OperationType.values()) {
            int at = type.steps().indexOf(step);
            if (at > 0) {
                before.addAll(type.steps().subList(0, at));
            }
        }
        return Collections.unmodifiableSet(before);
    }
}
