package io.lethe.operation;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Whether an operation waiting at {@code invalidate-cache} is already served, waits, or has the
 * host's caches invalidated itself. One invalidation serves every operation whose memory change
 * ended before it started (DESIGN section 3, "Coalescing"); one that started earlier serves nothing.
 *
 * @param window     longest an operation waits for the host's other erases before it goes ahead
 * @param staleAfter a claim older than this belongs to a replica that died: it may be taken over
 */
record CoalescingPolicy(Duration window, Duration staleAfter) {

    enum Decision { COVERED, WAIT, CLAIM }

    /** What the host's row says now. */
    record HostState(UUID claimedBy, Instant claimedAt, Instant lastStartedAt) {
    }

    /**
     * @param self           the deciding operation
     * @param changedAt      when its erase or unlock ended (null: it changed nothing)
     * @param othersChanging whether other operations of the host have yet to end their erase or unlock
     * @param waitingSince   when it reached the step
     */
    Decision decide(HostState host, UUID self, Instant changedAt, boolean othersChanging, Instant waitingSince, Instant now) {
        if (host.lastStartedAt() != null && (changedAt == null || host.lastStartedAt().isAfter(changedAt))) {
            return Decision.COVERED;
        }
        if (host.claimedBy() != null && !host.claimedBy().equals(self) && host.claimedAt().plus(staleAfter).isAfter(now)) {
            return Decision.WAIT;
        }
        if (othersChanging && waitingSince.plus(window).isAfter(now)) {
            return Decision.WAIT;
        }
        return Decision.CLAIM;
    }
}
