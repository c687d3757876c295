package io.lethe.certificate;

import io.lethe.common.LetheProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Audit")
class AuditCheckpointController {

    private final AuditCheckpoints checkpoints;

    AuditCheckpointController(AuditCheckpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    @GetMapping(path = "/api/v1/audit/checkpoints", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "listAuditCheckpoints",
            summary = "Signed checkpoints of the audit chain's head, oldest first",
            description =
                    "Each is a JWS signed with the certificate signing key over the chain's length, last hash and "
                            + "time. Keep copies outside Lethe: verification holds the chain against them.")
    AuditCheckpoints.Checkpoints list(
            @Parameter(description = "Only checkpoints of records after this sequence number")
                    @RequestParam(defaultValue = "0")
                    long after,
            @Parameter(description = "At most this many, 1 to 1000")
                    @RequestParam(defaultValue = "100")
                    int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidCheckpointLimit(limit);
        }
        return new AuditCheckpoints.Checkpoints(checkpoints.list(after, limit));
    }

    static final class InvalidCheckpointLimit extends LetheProblem.BadRequest {
        InvalidCheckpointLimit(int limit) {
            super("limit", "Invalid limit", "limit must be 1 to 1000, was " + limit);
        }
    }
}
