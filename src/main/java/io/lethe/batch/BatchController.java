package io.lethe.batch;

import io.lethe.common.CursorPage;
import io.lethe.common.Keyset;
import io.lethe.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Batches", description = "Fleet-wide actions: one operation per selected device")
class BatchController {

    private final BatchService batches;

    BatchController(BatchService batches) {
        this.batches = batches;
    }

    @PostMapping(
            path = "/api/v1/batches",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(
            responseCode = "200",
            description = "The plan, with \"dryRun\": true",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = BatchPlan.class)))
    @ApiResponse(
            responseCode = "202",
            description = "The batch, started",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = BatchView.class)))
    @Operation(
            operationId = "startBatch",
            summary = "Plan (dryRun) or start a fleet-wide secure-erase, decommission or unlock",
            description =
                    "With \"dryRun\": true answers 200 with the plan (devices and regions per host, invalidations, "
                            + "blockers with reasons) and changes nothing. Otherwise answers 202 with Location of the batch; refused "
                            + "devices are left out and listed in the plan's blockers. 409 when every selected device is refused.")
    ResponseEntity<?> start(@Valid @RequestBody BatchRequest body) {
        if (body.planOnly()) {
            return ResponseEntity.ok(batches.plan(body));
        }
        BatchView batch = batches.start(body, Actors.current());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/v1/batches/" + batch.id()))
                .body(batch);
    }

    @GetMapping(path = "/api/v1/batches", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "listBatches",
            summary = "List batches, oldest first, with filters and keyset pagination")
    CursorPage<BatchView> list(
            @Parameter(description = "Only batches in this state") @RequestParam(required = false)
                    BatchState state,
            @Parameter(description = "Only batches requested by this token's subject")
                    @RequestParam(required = false)
                    String requestedBy,
            @Parameter(description = "Page size, 1 to 1000") @RequestParam(required = false)
                    Integer limit,
            @Parameter(description = "nextCursor of the previous page")
                    @RequestParam(required = false)
                    String cursor) {
        return batches.list(state, requestedBy, Keyset.of(limit, cursor));
    }

    @GetMapping(path = "/api/v1/batches/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "getBatch",
            summary = "A batch: operations per state, progress, failures and its plan")
    BatchView get(@PathVariable String id) {
        return batches.get(id);
    }

    @DeleteMapping(path = "/api/v1/batches/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "cancelBatch",
            summary =
                    "Cancel a batch: every operation whose erase or unlock has not started is cancelled")
    ResponseEntity<BatchView> cancel(@PathVariable String id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(batches.cancel(id, Actors.current()));
    }
}
