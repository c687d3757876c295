package io.lethe.audit;

import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.common.LetheProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(name = "Audit", description = "Append-only record of requests, steps and outcomes")
class AuditController {

    private final AuditLog audit;
    private final AuditVerifier verifier;

    AuditController(AuditLog audit, AuditVerifier verifier) {
        this.audit = audit;
        this.verifier = verifier;
    }

    @GetMapping(path = "/api/v1/audit/verification", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "verifyAuditChain",
            summary = "Walk the audit hash chain",
            description =
                    "Answers intact with the number of records, or the first broken sequence number and why "
                            + "(changed, missing, reordered).")
    AuditVerifier.Verification verification() {
        audit.seal();
        return verifier.verify();
    }

    @GetMapping(path = "/api/v1/audit/export", produces = "application/x-ndjson")
    @ApiResponse(
            responseCode = "200",
            description = "One JSON object per line",
            content =
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")))
    @Operation(
            operationId = "exportAudit",
            summary = "Export the whole audit chain as JSON Lines, in sequence order",
            description =
                    "Each line carries seq, the record's fields, prevHash and hash; docs/audit.md shows how to "
                            + "check the chain offline.")
    ResponseEntity<StreamingResponseBody> export() {
        audit.seal();
        StreamingResponseBody body =
                out -> {
                    var writer =
                            new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                    verifier.each(
                            row -> {
                                try {
                                    writer.write(
                                            EXPORT.writeValueAsString(
                                                    new ExportLine(
                                                            row.seq(),
                                                            row.prevHash(),
                                                            row.hash(),
                                                            EXPORT.readTree(row.canonical()))));
                                    writer.write('\n');
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
                    writer.flush();
                };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/x-ndjson"))
                .body(body);
    }

    private static final JsonMapper EXPORT = JsonMapper.builder().build();

    /** One exported line: the canonical record as hashed, with its place in the chain. */
    record ExportLine(long seq, String prevHash, String hash, JsonNode record) {}

    @GetMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "listAuditRecords",
            summary = "List audit records, oldest first, with filters and keyset pagination")
    CursorPage<AuditView> list(
            @Parameter(description = "Only records of this device") @RequestParam(required = false)
                    String deviceId,
            @Parameter(description = "Only records of this operation")
                    @RequestParam(required = false)
                    String operationId,
            @Parameter(description = "Records at or after this instant (ISO-8601)")
                    @RequestParam(required = false)
                    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                    Instant from,
            @Parameter(description = "Records before this instant (ISO-8601)")
                    @RequestParam(required = false)
                    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                    Instant to,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return audit.list(
                new AuditLog.Filter(
                        id("deviceId", deviceId), id("operationId", operationId), from, to),
                Keyset.of(limit, cursor));
    }

    private static UUID id(String field, String value) {
        return value == null
                ? null
                : Ids.parse(value).orElseThrow(() -> new InvalidAuditFilter(field, value));
    }

    static final class InvalidAuditFilter extends LetheProblem.BadRequest {
        InvalidAuditFilter(String field, String value) {
            super(field, "Invalid filter", field + " must be an id (UUID), was '" + value + "'");
        }
    }
}
