package io.lethe.region;

/**
 * A region may not be committed: a member's memory changed after the last invalidation began, or a
 * member is not ready. Committing anyway could expose stale cache lines.
 */
public final class RegionNotReady extends RuntimeException {
    public RegionNotReady(String why) {
        super(why, null, false, false);
    }
}
