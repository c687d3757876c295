package io.lethe.region;

import java.util.UUID;

/** A region was removed from Lethe's inventory; published in the transaction that removed it. */
public record RegionRemoved(UUID regionId, UUID hostId) {}
