package io.lethe.batch;

import io.lethe.device.DeviceView;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/**
 * What a batch will do, or would do for a dry run: the devices it acts on per host, the regions
 * they take down, the cache invalidations that takes (one per host per wave of at most {@code
 * max-erases-per-host} erases), and the devices it refuses, with the reason.
 */
@Schema(name = "BatchPlan")
record BatchPlan(
        @Schema(allowableValues = {"secure-erase", "decommission", "unlock"}) String action,
        @Schema(
                        allowableValues = {
                            "sanitize",
                            "secure-erase",
                            "passphrase-erase",
                            "overwrite"
                        },
                        nullable = true,
                        description = "The erase method; null for unlock")
                String method,
        @Schema(description = "Devices the batch acts on") int devices,
        @Schema(description = "Cache invalidations it will take") int invalidations,
        List<HostPlan> hosts,
        List<Blocker> blockers) {

    record HostPlan(
            UUID hostId, String name, List<UUID> devices, List<UUID> regions, int invalidations) {}

    @Schema(name = "BatchBlocker")
    record Blocker(
            UUID deviceId,
            UUID hostId,
            @Schema(example = "invalidation-unsupported") String problem,
            String reason) {}

    /** A device the batch acts on, with what its operation needs. */
    record Target(DeviceView device, HostView host, RegionView region) {}
}
