package io.lethe.discovery;

import io.lethe.host.CacheInvalidation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/**
 * What a discovery found and changed. Running it again without a change on the host reports
 * everything unchanged.
 */
@Schema(name = "DiscoveryReport")
record DiscoveryReport(
        UUID hostId,
        CacheInvalidation cacheInvalidation,
        @Schema(
                        description = "Why the host cannot invalidate its caches; null when it can",
                        nullable = true)
                String cacheInvalidationReason,
        boolean cacheInvalidationChanged,
        Changes devices,
        Changes regions,
        @Schema(description = "Regions the host reported that Lethe does not take, with the reason")
                List<Skipped> skippedRegions) {

    /** Ids by what happened to them. */
    record Changes(List<UUID> created, List<UUID> updated, List<UUID> unchanged) {}

    /** A region left out, and why. */
    record Skipped(String name, String reason) {}
}
