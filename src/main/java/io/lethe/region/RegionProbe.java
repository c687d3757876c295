package io.lethe.region;

/**
 * What the host's hardware says of a region, asked before Lethe acts on its own record that the
 * region is detached: the record may be wrong (a commit that landed unseen, a host changed by
 * hand), and the hardware is the truth. Implemented where the backends are.
 */
public interface RegionProbe {

    /**
     * Whether the host decodes the region now.
     *
     * @throws Unreadable when the host cannot be asked
     */
    boolean decodes(RegionView region);

    /** The host could not say; nothing may be decided on it. */
    final class Unreadable extends RuntimeException {
        public Unreadable(String why) {
            super(why, null, false, false);
        }
    }
}
