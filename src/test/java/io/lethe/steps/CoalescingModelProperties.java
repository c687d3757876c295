package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A model of one host under adversarial timings: erases of several operations end at random
 * moments, each operation reaches {@code invalidate-cache} a little later and asks {@link
 * CoalescingPolicy} again and again, invalidations take random time, and the one that performs an
 * invalidation serves the waiting operations the way {@link HostInvalidations} does. Whatever the
 * timing, every operation is served by an invalidation that started after its erase ended (an erase
 * ending while an invalidation runs waits for the next one), and when the waiting window outlasts
 * the erases, one invalidation serves them all.
 */
class CoalescingModelProperties {

    @Property(tries = 500)
    void everyOperationIsServedByAnInvalidationThatStartedAfterItsEraseEnded(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1000) Integer> eraseEnds,
            @ForAll @IntRange(min = 0, max = 50) int arrivalSpread,
            @ForAll @IntRange(min = 1, max = 80) int invalidationTime,
            @ForAll @IntRange(min = 0, max = 10) int claimToStart,
            @ForAll @IntRange(min = 1, max = 40) int poll,
            @ForAll @IntRange(min = 1, max = 3000) int window) {
        HostModel host =
                new HostModel(
                        eraseEnds, arrivalSpread, invalidationTime, claimToStart, poll, window);
        host.run();
        for (int i = 0; i < eraseEnds.size(); i++) {
            assertThat(host.servedBy[i]).as("operation %d is served", i).isNotNull();
            assertThat(host.servedBy[i])
                    .as(
                            "operation %d: the invalidation was numbered after its erase's end (at %d) was recorded",
                            i, eraseEnds.get(i))
                    .isGreaterThan(HostModel.changeSeq(eraseEnds.get(i)));
        }
        assertThat(host.invalidations).isBetween(1, eraseEnds.size());
        if (window > 1100) {
            assertThat(host.invalidations).as("one invalidation per wave").isEqualTo(1);
        }
    }

    /**
     * One host, time in milliseconds. Host order numbers follow time: a change recorded at t is
     * numbered 2t, a claim at t 2t+1 (within a millisecond, the change took the host's lock first).
     */
    static final class HostModel {

        private final int n;
        private final int[] eraseEnd;
        private final int[] arrival;
        private final int[] nextLook;
        final Long[] servedBy;
        private final UUID[] ids;
        private final int invalidationTime;
        private final int claimToStart;
        private final int poll;
        private final CoalescingPolicy policy;
        private UUID claimedBy;
        private Integer claimedAt;
        private Long lastSeq;
        private long claimSeq;
        private int leader = -1;
        private int runningStart;
        private int runningEnd;
        int invalidations;

        HostModel(
                List<Integer> eraseEnds,
                int arrivalSpread,
                int invalidationTime,
                int claimToStart,
                int poll,
                int window) {
            this.n = eraseEnds.size();
            this.eraseEnd = eraseEnds.stream().mapToInt(Integer::intValue).toArray();
            this.arrival = new int[n];
            this.nextLook = new int[n];
            this.servedBy = new Long[n];
            this.ids = new UUID[n];
            for (int i = 0; i < n; i++) {
                arrival[i] = eraseEnd[i] + 1 + (i * 7 + arrivalSpread) % 50;
                nextLook[i] = arrival[i];
                ids[i] = new UUID(0, i);
            }
            this.invalidationTime = invalidationTime;
            this.claimToStart = claimToStart;
            this.poll = poll;
            this.policy = new CoalescingPolicy(Duration.ofMillis(window), Duration.ofHours(1));
        }

        void run() {
            for (int t = 0; t < 20_000 && !allServed(); t++) {
                if (leader >= 0 && t == runningEnd) {
                    finishInvalidation();
                }
                for (int i = 0; i < n; i++) {
                    if (servedBy[i] == null && i != leader && t >= nextLook[i]) {
                        look(i, t);
                    }
                }
            }
        }

        private void look(int i, int t) {
            int now = t;
            boolean othersChanging = false;
            for (int j = 0; j < n; j++) {
                othersChanging |= j != i && eraseEnd[j] >= now;
            }
            CoalescingPolicy.HostState state =
                    new CoalescingPolicy.HostState(claimedBy, at(claimedAt), lastSeq);
            switch (policy.decide(
                    state,
                    ids[i],
                    changeSeq(eraseEnd[i]),
                    othersChanging,
                    at(arrival[i]),
                    at(now))) {
                case COVERED -> servedBy[i] = lastSeq;
                case WAIT -> nextLook[i] = now + poll;
                case CLAIM -> {
                    claimedBy = ids[i];
                    claimedAt = now;
                    claimSeq = 2L * now + 1;
                    leader = i;
                    runningStart = now + claimToStart;
                    runningEnd = runningStart + invalidationTime;
                }
            }
        }

        /**
         * As HostInvalidations.succeeded: record it, serve the waiting ones whose erase ended
         * before it began.
         */
        private void finishInvalidation() {
            invalidations++;
            lastSeq = lastSeq == null ? claimSeq : Math.max(lastSeq, claimSeq);
            servedBy[leader] = claimSeq;
            for (int j = 0; j < n; j++) {
                boolean waiting = servedBy[j] == null && arrival[j] <= runningEnd;
                if (waiting && changeSeq(eraseEnd[j]) < claimSeq) {
                    servedBy[j] = claimSeq;
                }
            }
            claimedBy = null;
            claimedAt = null;
            leader = -1;
        }

        static long changeSeq(int recordedAt) {
            return 2L * recordedAt;
        }

        private boolean allServed() {
            for (Long s : servedBy) {
                if (s == null) {
                    return false;
                }
            }
            return true;
        }

        private static Instant at(Integer millis) {
            return millis == null ? null : Instant.ofEpochMilli(millis);
        }
    }
}
