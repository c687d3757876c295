package io.lethe.region;

import java.util.List;
import java.util.UUID;

/**
 * Published inside the declaration transaction. A region declared through the API starts detached;
 * {@code attachWanted} asks for an attach-region operation in that transaction (every member
 * unlocked and not sanitizing), which must cover {@code exposedUntil} (null: nothing to cover).
 */
public record RegionDeclared(
        UUID regionId,
        UUID hostId,
        long baseAddress,
        List<UUID> deviceIds,
        boolean attached,
        boolean attachWanted,
        Long exposedUntil) {}
