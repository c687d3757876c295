package io.lethe.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

@Schema(name = "AuditRecord")
public record AuditView(
        UUID id,
        @Schema(
                        nullable = true,
                        description =
                                "Position in the hash chain; null until the record is chained")
                Long seq,
        Instant at,
        String actor,
        String action,
        @Schema(nullable = true, description = "The operation the record belongs to, if any")
                UUID operationId,
        @Schema(nullable = true) UUID deviceId,
        @Schema(nullable = true) UUID hostId,
        @Schema(nullable = true, description = "The step, for step records") String step,
        @Schema(
                        nullable = true,
                        description = "How the step or operation ended, for records that end one")
                String outcome,
        @Schema(nullable = true) String detail,
        @Schema(nullable = true, description = "null until the record is chained") String prevHash,
        @Schema(nullable = true, description = "null until the record is chained") String hash) {}
