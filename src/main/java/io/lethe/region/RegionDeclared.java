package io.lethe.region;

import java.util.List;
import java.util.UUID;

/** Published inside the declaration transaction. */
public record RegionDeclared(
        UUID regionId, UUID hostId, long baseAddress, List<UUID> deviceIds, boolean attached) {}
