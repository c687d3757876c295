package io.lethe.batch;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A batch as clients see it: its operations counted per state, progress (ended of total, in
 * percent), the failures with their reasons, and the plan it was started with.
 */
@Schema(name = "Batch")
record BatchView(
        UUID id,
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
        @Schema(nullable = true) String reason,
        BatchState state,
        int total,
        Map<String, Long> counts,
        @Schema(description = "Ended operations of all, in percent") int progress,
        List<Failure> failures,
        boolean cancelRequested,
        BatchPlan plan,
        String requestedBy,
        Instant createdAt) {

    record Failure(UUID operationId, UUID deviceId, String error) {}
}
