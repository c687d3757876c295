package io.lethe.region;

import io.lethe.common.TransactionMemo;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The per-host order of media changes and invalidations: a counter in the host's row of {@code
 * host_sequences}, advanced under that row's lock. The lock is held until the caller's transaction
 * commits, so numbers follow commit order: a change recorded (committed) before an invalidation
 * took its number has the smaller number. No clock is compared, so replicas, agents and devices
 * with skewed clocks cannot make an invalidation seem to cover a change it preceded.
 *
 * <p>Every transaction that changes what the commit barrier reads of a host (media changes,
 * invalidations, holds, commits) takes this row first, before any region row: one lock order.
 */
@Component
class HostOrder {

    private final JdbcTemplate jdbc;
    private final TransactionMemo<UUID, Boolean> held = new TransactionMemo<>();

    HostOrder(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes the host's row lock for the caller's transaction; a transaction that holds it already
     * (a wave's round asks for it for each member) writes nothing more.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void lock(UUID hostId) {
        held.get(hostId, this::take);
    }

    private Boolean take(UUID hostId) {
        if (jdbc.update(
                        "update host_sequences set last_value = last_value where host_id = ?",
                        hostId)
                == 0) {
            // Two replicas may create the row at once: the second insert does nothing, then both
            // lock it.
            jdbc.update(
                    "insert into host_sequences (host_id, last_value) values (?, 0) on conflict do nothing",
                    hostId);
            jdbc.update(
                    "update host_sequences set last_value = last_value where host_id = ?", hostId);
        }
        return Boolean.TRUE;
    }

    /** The host's next order number, under its row lock. */
    @Transactional(propagation = Propagation.MANDATORY)
    long next(UUID hostId) {
        lock(hostId);
        jdbc.update(
                "update host_sequences set last_value = last_value + 1 where host_id = ?", hostId);
        return jdbc.queryForObject(
                "select last_value from host_sequences where host_id = ?", Long.class, hostId);
    }
}
