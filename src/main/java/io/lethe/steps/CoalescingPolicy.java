package io.lethe.steps;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Whether an operation waiting at {@code invalidate-cache} is already served, waits, or has the
 * host's caches invalidated itself. One invalidation serves every operation whose memory change was
 * recorded before the invalidation took its host order number; one numbered earlier serves nothing.
 * Safety compares only those numbers; the clocks below decide how long to wait, nothing more.
 *
 * @param window longest an operation waits for the host's other erases before it goes ahead
 * @param staleAfter a claim older than this belongs to a replica that died: it may be taken over
 */
record CoalescingPolicy(Duration window, Duration staleAfter) {

    enum Decision {
        COVERED,
        WAIT,
        CLAIM
    }

    /** What the host's row says now. */
    record HostState(UUID claimedBy, Instant claimedAt, Long lastSeq) {}

    /**
     * @param self the deciding operation
     * @param changeSeq host order number of its erase's or unlock's end (null: it changed nothing)
     * @param othersChanging whether other operations of the host have yet to end their erase or
     *     unlock
     * @param waitingSince when it reached the step
     */
    Decision decide(
            HostState host,
            UUID self,
            Long changeSeq,
            boolean othersChanging,
            Instant waitingSince,
            Instant now) {
        if (host.lastSeq() != null && (changeSeq == null || host.lastSeq() > changeSeq)) {
            return Decision.COVERED;
        }
        if (host.claimedBy() != null
                && !host.claimedBy().equals(self)
                && host.claimedAt().plus(staleAfter).isAfter(now)) {
            return Decision.WAIT;
        }
        if (othersChanging && waitingSince.plus(window).isAfter(now)) {
            return Decision.WAIT;
        }
        return Decision.CLAIM;
    }
}
