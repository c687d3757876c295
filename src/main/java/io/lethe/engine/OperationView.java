package io.lethe.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lethe.backend.EraseMethod;
import io.lethe.backend.UnlockKey;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An operation as clients see it. Never carries a passphrase. */
@Schema(name = "Operation")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationView(
        UUID id,
        OperationType type,
        UUID deviceId,
        UUID hostId,
        UUID regionId,
        UUID batchId,
        EraseMethod method,
        String reason,
        OperationState state,
        List<StepView> steps,
        @Schema(description = "Why the operation failed: the step and the reason") String error,
        @Schema(description = "A cancel was asked and will take effect at the next step boundary")
                Boolean cancelRequested,
        String requestedBy,
        Instant invalidationStartedAt,
        @Schema(
                        description =
                                "What verify can read back: canary, none-region-detached (the region did not decode "
                                        + "before the erase) or none-no-cpu-view (the host uses the region as System RAM); absent before the "
                                        + "evidence is taken")
                ReadBack readBack,
        @Schema(description = "While queued: 1 when the operation is next on its host")
                Integer queuePosition,
        @Schema(
                        description =
                                "An unlock's key: passphrase (from the request) or host-key (the host's own key sealed by"
                                        + " ndctl); absent for other operations")
                UnlockKey unlockKey,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt) {

    /** What an operation shows: what it was asked, where its steps stand, what they recorded. */
    static OperationView of(Operation op) {
        return new OperationView(
                op.id(),
                op.type(),
                op.deviceId(),
                op.hostId(),
                op.subject().regionId(),
                op.subject().batchId(),
                op.requested().method(),
                op.requested().reason(),
                op.state(),
                new StepList(op.steps()).views(),
                op.error(),
                op.cancelRequested() && !op.isTerminal() ? Boolean.TRUE : null,
                op.requested().actor(),
                op.ledger().invalidationStartedAt(),
                ReadBack.ofEvidence(op.ledger().verifyEvidence()),
                null,
                op.requested().unlockKey(),
                op.timeline().createdAt(),
                op.timeline().updatedAt(),
                op.timeline().finishedAt());
    }

    public OperationView withQueuePosition(Integer position) {
        return new OperationView(
                id,
                type,
                deviceId,
                hostId,
                regionId,
                batchId,
                method,
                reason,
                state,
                steps,
                error,
                cancelRequested,
                requestedBy,
                invalidationStartedAt,
                readBack,
                position,
                unlockKey,
                createdAt,
                updatedAt,
                finishedAt);
    }

    @Schema(name = "Step")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepView(
            StepName name,
            StepState state,
            Instant startedAt,
            Instant finishedAt,
            int attempts,
            Integer progress,
            String detail) {}
}
