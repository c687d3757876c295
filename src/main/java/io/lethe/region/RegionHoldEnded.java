package io.lethe.region;

import java.util.UUID;

/**
 * The end of a hold on a region, as the region module needs to hear of it: published by whoever
 * held it (an operation, in the transaction that ends it) and handled by the region module in that
 * transaction. The region stays detached (fail closed) unless the holder hands a {@link #recommit}
 * because nothing it did changed a member's memory; even then the region commits only through
 * {@link RegionCommits#releaseAndCommitAll}, with every check a reattach has. Declared here, by the
 * module that reacts to it, so that a holder built on the region module can publish it.
 */
public interface RegionHoldEnded {

    /** The region held, or null when the holder held none. */
    UUID regionId();

    /** Who held it: its hold is let go. */
    UUID holder();

    /**
     * How to commit the region's decoders again when the holder changed no member's memory (a
     * cancel before any erase began), or null to leave the region detached.
     */
    Recommit recommit();

    /** The hardware commit of a region's decoders, called after the ending transaction commits. */
    @FunctionalInterface
    interface Recommit {

        /**
         * @param region the region as the ending transaction left it
         * @param fence the fencing token of this commit
         * @return false when the host refused the token for a higher one (a later detach)
         */
        boolean commit(RegionView region, long fence);
    }
}
