package io.lethe.operation;

import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.engine.OperationState;
import io.lethe.engine.OperationType;
import io.lethe.engine.OperationView;
import io.lethe.operation.OperationProblems.InvalidOperationFilter;
import io.lethe.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

@RestController
@Tag(name = "Operations", description = "Unlock, secure erase and decommission, step by step")
class OperationController {

    private final OperationService operations;

    private final Waits waits;

    OperationController(OperationService operations, Waits waits) {
        this.operations = operations;
        this.waits = waits;
    }

    @PostMapping(
            path = "/api/v1/devices/{id}/secure-erase",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "startSecureErase",
            summary = "Start a secure erase",
            description = "Answers 202 with the operation; follow its Location.")
    @StartsOperation(OperationType.SECURE_ERASE)
    ResponseEntity<OperationView> secureErase(
            @PathVariable String id,
            @Valid @RequestBody OperationRequests.Erase body,
            @Parameter(
                            description =
                                    "Repeat a request safely: the same key and body return the first answer")
                    @RequestHeader(name = "Idempotency-Key", required = false)
                    String idempotencyKey) {
        return erase(OperationType.SECURE_ERASE, id, body, idempotencyKey);
    }

    @PostMapping(
            path = "/api/v1/devices/{id}/decommission",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "startDecommission",
            summary = "Start a decommission",
            description = "The device ends decommissioned.")
    @StartsOperation(OperationType.DECOMMISSION)
    ResponseEntity<OperationView> decommission(
            @PathVariable String id,
            @Valid @RequestBody OperationRequests.Erase body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        return erase(OperationType.DECOMMISSION, id, body, idempotencyKey);
    }

    @PostMapping(
            path = "/api/v1/devices/{id}/unlock",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "startUnlock",
            summary = "Start an unlock",
            description =
                    "The attempt that would exhaust the device's attempts is refused unless"
                            + " allowFinalAttempt is true.")
    @StartsOperation(OperationType.UNLOCK_DEVICE)
    ResponseEntity<OperationView> unlock(
            @PathVariable String id,
            @Valid @RequestBody OperationRequests.Unlock body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        OperationProblems.UnlockKeyMismatch.check(body);
        return accepted(
                operations.start(
                        id,
                        new StartOperation(
                                OperationType.UNLOCK_DEVICE,
                                null,
                                false,
                                Boolean.TRUE.equals(body.allowFinalAttempt()),
                                body.reason(),
                                body.passphrase(),
                                body.unlockKey(),
                                Actors.current()),
                        checked(idempotencyKey)));
    }

    private ResponseEntity<OperationView> erase(
            OperationType type, String id, OperationRequests.Erase body, String idempotencyKey) {
        OperationProblems.MasterWithoutPassphraseErase.check(body);
        return accepted(
                operations.start(
                        id,
                        new StartOperation(
                                type,
                                body.method(),
                                Boolean.TRUE.equals(body.master()),
                                false,
                                body.reason(),
                                body.passphrase(),
                                null,
                                Actors.current()),
                        checked(idempotencyKey)));
    }

    @GetMapping(path = "/api/v1/operations/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "getOperation",
            summary = "Read an operation with its steps",
            description =
                    "With ?wait=PT30S (ISO-8601, at most PT60S) the answer waits until the operation has ended "
                            + "or the time is up: a long poll for pipelines.")
    DeferredResult<OperationView> get(
            @PathVariable String id,
            @Parameter(description = "Wait up to this long for the operation to end")
                    @RequestParam(required = false)
                    String wait) {
        OperationView current = operations.get(id);
        Duration duration = wait == null ? Duration.ZERO : LongPoll.parse(wait);
        if (duration.isZero() || LongPoll.ended(current)) {
            DeferredResult<OperationView> now = new DeferredResult<>();
            now.setResult(current);
            return now;
        }
        // no request thread waits: the shared poller answers when the operation ends or time is up
        return waits.until(current, duration, Actors.current());
    }

    @GetMapping(path = "/api/v1/operations", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "listOperations",
            summary = "List operations, oldest first, with filters and keyset pagination")
    CursorPage<OperationView> list(
            @RequestParam(required = false) String deviceId,
            @RequestParam(required = false) OperationState state,
            @RequestParam(required = false) String batchId,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return operations.list(
                id("deviceId", deviceId), state, id("batchId", batchId), Keyset.of(limit, cursor));
    }

    @DeleteMapping(path = "/api/v1/operations/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "cancelOperation",
            summary = "Cancel an operation before its erase or unlock started",
            description =
                    "Answers 202: the cancel takes effect at the next step boundary. 409 once the erase or unlock started.")
    ResponseEntity<OperationView> cancel(@PathVariable String id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(operations.cancel(id, Actors.current()));
    }

    private static ResponseEntity<OperationView> accepted(OperationService.Started started) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/v1/operations/" + started.operation().id()))
                .body(started.operation());
    }

    private static UUID id(String field, String value) {
        return value == null
                ? null
                : Ids.parse(value).orElseThrow(() -> new InvalidOperationFilter(field, value));
    }

    /** An Idempotency-Key as the store keeps it: 1 to 255 visible ASCII characters, or none. */
    private static String checked(String idempotencyKey) {
        if (idempotencyKey == null) {
            return null;
        }
        if (idempotencyKey.isEmpty()
                || idempotencyKey.length() > 255
                || !idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new OperationProblems.InvalidIdempotencyKey();
        }
        return idempotencyKey;
    }
}
