package io.lethe.region;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A region as clients and other modules see it; {@code deviceIds} are in interleave target order.
 */
@Schema(name = "Region")
public record RegionView(
        UUID id,
        UUID hostId,
        @Schema(example = "region0") String name,
        @Schema(description = "Host-physical base address", example = "68719476736")
                long baseAddress,
        @Schema(example = "137438953472") long sizeBytes,
        @Schema(example = "2") int interleaveWays,
        List<UUID> deviceIds,
        RegionState state,
        @Schema(
                        description =
                                "When the last successful CPU cache invalidation of the host began",
                        nullable = true)
                Instant invalidatedAt,
        @Schema(
                        description =
                                "The attach-region operation Lethe started when the region was"
                                        + " declared: wait for it before using the region. Null when"
                                        + " none was started (a member locked or sanitizing: its"
                                        + " unlock or erase attaches the region; or a discovered"
                                        + " region)",
                        nullable = true)
                UUID attachOperationId,
        Instant createdAt,
        Instant updatedAt) {}
