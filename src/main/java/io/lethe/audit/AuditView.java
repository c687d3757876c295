package io.lethe.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

@Schema(name = "AuditRecord")
public record AuditView(UUID id, Long seq, Instant at, String actor, String action, UUID operationId, UUID deviceId,
        UUID hostId, String step, String outcome, String detail, String prevHash, String hash) {
}
