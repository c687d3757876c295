package io.lethe.region;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A host's ledger of media changes and cache invalidations: each change of a member's memory (an
 * erase or unlock seen to end) and each invalidation takes the host's next order number ({@link
 * HostOrder}), and the barrier compares them: a region commits only after an invalidation numbered
 * after every member's last change. Every record is written under the host's order lock, then the
 * region's row lock, the one lock order of every writer of regions.
 */
@Service
public class HostLedger {

    private final RegionRepository regions;
    private final HostOrder order;
    private final RegionLocks locks;
    private final DecodedRanges ranges;
    private final Clock clock;

    HostLedger(
            RegionRepository regions,
            HostOrder order,
            RegionLocks locks,
            DecodedRanges ranges,
            Clock clock) {
        this.regions = regions;
        this.order = order;
        this.locks = locks;
        this.ranges = ranges;
        this.clock = clock;
    }

    /**
     * An erase or unlock of the device starts (in the transaction that records the step started):
     * until its end is recorded, the member's memory is in an unknown state and blocks every
     * commit.
     */
    @Transactional
    public void recordMediaChanging(UUID deviceId, UUID operationId) {
        locks.regionOf(deviceId)
                .flatMap(locks::inOrder)
                .ifPresent(r -> r.member(deviceId).changing(operationId));
    }

    /**
     * The device's erase or unlock was seen to end: its change gets the host's next order number,
     * which is answered (also for a device in no region: coalescing orders by it).
     */
    @Transactional
    public long recordMediaChange(UUID hostId, UUID deviceId) {
        long seq = order.next(hostId);
        locks.regionOf(deviceId)
                .flatMap(locks::inOrder)
                .ifPresent(r -> r.member(deviceId).changed(seq, clock.instant()));
        return seq;
    }

    /**
     * The operation's erase or unlock was refused before it reached the memory: the member's state
     * is known again.
     */
    @Transactional
    public void recordMediaUntouched(UUID deviceId, UUID operationId) {
        locks.regionOf(deviceId)
                .flatMap(locks::inOrder)
                .ifPresent(r -> r.member(deviceId).untouched(operationId));
    }

    /** The device was retired: its region never decodes again. */
    @Transactional
    public void recordRetired(UUID deviceId) {
        locks.regionOf(deviceId)
                .flatMap(locks::inOrder)
                .ifPresent(r -> r.retire(deviceId, clock.instant()));
    }

    /**
     * An invalidation of the host's caches is about to start: its host order number, taken now,
     * covers every change recorded before. Call in the transaction that claims the invalidation.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long nextInvalidationNumber(UUID hostId) {
        return order.next(hostId);
    }

    /** Takes the host's order lock for the caller's transaction (see {@link HostOrder}). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lockHostOrder(UUID hostId) {
        order.lock(hostId);
    }

    /**
     * A successful invalidation of the host, numbered {@code seq}, began at {@code startedAt} (as
     * reported; shown, not compared): it covers every region of the host.
     */
    @Transactional
    public void recordInvalidation(UUID hostId, long seq, Instant startedAt) {
        order.lock(hostId);
        // Under each region's row lock, in id order: operations of the host hold and release them
        // meanwhile.
        regions.findIdsByHostId(hostId)
                .forEach(id -> locks.lock(id).ifPresent(r -> r.invalidated(seq, startedAt)));
        ranges.coveredBy(hostId, seq);
    }
}
