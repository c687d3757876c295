package io.lethe.engine;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.UnlockKey;
import io.lethe.common.WireEnum;
import io.lethe.device.DeviceStatus;
import io.lethe.host.BackendType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One requested action on one device, with its ordered steps. The state machine lives here: every
 * transition checks the current state and refuses with {@link IllegalTransition} when it does not
 * fit. {@code tick} numbers the scheduled executions: only the execution carrying the current tick
 * may move the operation, so a stale or duplicated execution changes nothing.
 */
@Entity
@Table(name = "operations")
public class Operation {

    @Id private UUID id;
    private String type;

    @Column(name = "device_id")
    private UUID deviceId;

    @Column(name = "host_id")
    private UUID hostId;

    @Column(name = "region_id")
    private UUID regionId;

    @Embedded private Requested requested;

    @Convert(converter = StateConverters.OperationStates.class)
    private OperationState state;

    private String error;
    private String actor;

    @Column(name = "batch_id")
    private UUID batchId;

    @Column(name = "status_before")
    private String statusBefore;

    /**
     * The passphrase sealed by SecretCipher while a step still needs it; null once the operation
     * ends.
     */
    @Column(name = "passphrase_enc")
    private String passphraseSealed;

    @Column(name = "cancel_requested")
    private boolean cancelRequested;

    /** Whether the erase limits let this operation start; unlocks need no admission. */
    private boolean admitted;

    private long tick;

    @Convert(converter = LedgerDocument.class)
    private Ledger ledger = Ledger.EMPTY;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    /** Past this moment the deadline reaper fails the operation. */
    private Instant deadline;

    @Version private long version;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "operation_steps", joinColumns = @JoinColumn(name = "operation_id"))
    @OrderColumn(name = "position")
    private List<Step> steps = new ArrayList<>();

    protected Operation() {}

    public Operation(
            UUID id,
            OperationType type,
            UUID deviceId,
            UUID hostId,
            UUID regionId,
            DeviceStatus statusBefore,
            Request request,
            String actor,
            Instant now,
            Instant deadline) {
        this.id = id;
        this.type = type.wire();
        this.deviceId = deviceId;
        this.hostId = hostId;
        this.regionId = regionId;
        this.requested = Requested.of(request);
        this.passphraseSealed = request.sealedPassphrase();
        this.statusBefore = statusBefore.wire();
        this.actor = actor;
        this.state = OperationState.QUEUED;
        this.createdAt = now;
        this.updatedAt = now;
        this.deadline = deadline;
        for (StepName name : type.steps()) {
            Step step = new Step(name, StepState.PENDING);
            if (regionId == null && OperationType.REGION_STEPS.contains(name)) {
                step.skip("the device is in no region");
            }
            steps.add(step);
        }
    }

    /** What the request asked, secrets already sealed. */
    public record Request(
            EraseMethod method,
            boolean master,
            boolean allowFinalAttempt,
            String reason,
            String sealedPassphrase) {}

    /**
     * Fixes the backend that performs the operation; once, before it is stored.
     *
     * @throws IllegalTransition when it is fixed already
     */
    public void performedBy(BackendType type, boolean simulatedBackend) {
        if (requested.backendType() != null) {
            throw new IllegalTransition("the operation's backend is fixed already");
        }
        requested = requested.performedBy(type, simulatedBackend);
    }

    /**
     * Fixes which key an unlock gives the kernel; once, before it is stored.
     *
     * @throws IllegalTransition when it is fixed already or the operation is no unlock
     */
    public void unlockWith(UnlockKey key) {
        if (type() != OperationType.UNLOCK_DEVICE || requested.unlockKey() != null) {
            throw new IllegalTransition("an unlock's key is fixed once, at its request");
        }
        requested = requested.unlockWith(key);
    }

    /** What the request fixed: method, key, reason, backend. */
    Requested requested() {
        return requested;
    }

    // ---- transitions --------------------------------------------------------------------------

    /** The step to run now: the first that is neither done nor skipped. */
    Optional<Step> currentStep() {
        return steps.stream()
                .filter(s -> s.state() == StepState.PENDING || s.state() == StepState.RUNNING)
                .findFirst();
    }

    Step startStep(Instant now) {
        requireActive("start a step");
        Step step = currentStep().orElseThrow(() -> new IllegalTransition("no step left to start"));
        if (step.state() != StepState.PENDING) {
            throw new IllegalTransition(
                    "step " + step.name().wire() + " is " + step.state().wire() + ", not pending");
        }
        step.start(now);
        state = OperationState.RUNNING;
        touch(now);
        return step;
    }

    /** The current step succeeded; the operation succeeds with its last step. */
    Step completeStep(Instant now, String detail) {
        Step step = runningStep("complete");
        step.end(StepState.SUCCEEDED, now, detail);
        if (currentStep().isEmpty()) {
            end(OperationState.SUCCEEDED, now, null);
        }
        touch(now);
        return step;
    }

    void stepProgress(Instant now, Integer percent, String detail) {
        runningStep("report progress on").progress(percent, detail);
        touch(now);
    }

    Step retryStep(Instant now, String reason) {
        Step step = runningStep("retry");
        step.retry("attempt " + step.attempts() + " failed: " + reason + "; retrying");
        touch(now);
        return step;
    }

    /** The current step failed for good: so does the operation; the steps after it never run. */
    Step failStep(Instant now, String reason) {
        Step step = runningStep("fail");
        step.end(StepState.FAILED, now, reason);
        steps.stream()
                .filter(s -> s.state() == StepState.PENDING)
                .forEach(s -> s.skip("not run: " + step.name().wire() + " failed"));
        end(OperationState.FAILED, now, step.name().wire() + ": " + reason);
        return step;
    }

    /**
     * The operation ran past its deadline: the step in flight (or the one it waits to start) fails
     * with the reason and the operation with it. Returns that step.
     */
    Step expire(Instant now, String reason) {
        requireActive("expire");
        Step step =
                currentStep().orElseThrow(() -> new IllegalTransition("no step left to expire"));
        if (step.state() == StepState.PENDING) {
            step.start(now);
        }
        return failStep(now, reason);
    }

    Instant deadline() {
        return deadline;
    }

    /** Whether a cancel may still be honoured: the erase or unlock has not started. */
    public boolean cancellable() {
        return !isTerminal()
                && steps.stream()
                        .filter(s -> OperationType.POINT_OF_NO_RETURN.contains(s.name()))
                        .allMatch(s -> s.state() == StepState.PENDING);
    }

    public void requestCancel(Instant now) {
        if (!cancellable()) {
            throw new IllegalTransition(
                    isTerminal()
                            ? "the operation already ended (" + state().wire() + ")"
                            : "the " + pointOfNoReturn() + " step already started");
        }
        cancelRequested = true;
        touch(now);
    }

    /** Whether a step is running right now (between its start and its outcome). */
    public boolean stepInFlight() {
        return currentStep().map(s -> s.state() == StepState.RUNNING).orElse(false);
    }

    void cancel(Instant now) {
        if (!cancellable()) {
            throw new IllegalTransition("the " + pointOfNoReturn() + " step already started");
        }
        steps.stream()
                .filter(s -> s.state() == StepState.PENDING || s.state() == StepState.RUNNING)
                .forEach(s -> s.skip("cancelled"));
        end(OperationState.CANCELLED, now, null);
    }

    /** Whether the operation still waits for an erase slot before its first step. */
    public boolean awaitingAdmission() {
        return !admitted && type().erases() && state() == OperationState.QUEUED;
    }

    public void admit() {
        admitted = true;
    }

    /** Moves to the next scheduled execution and returns its number. */
    long nextTick() {
        return ++tick;
    }

    /**
     * The end of the erase or unlock was recorded with this host order number ({@code at}: shown
     * only).
     */
    public void recordMediaChange(long seq, Instant at) {
        ledger = ledger().mediaChange(seq, at);
    }

    /**
     * An {@code attach-region} operation must be preceded by an invalidation numbered after {@code
     * seq}, the host order number at which another region's addresses under it stopped decoding:
     * its invalidation step compares it as it compares a media change.
     */
    public void coverExposure(long seq) {
        ledger = ledger().mediaChange(seq, ledger().mediaChangedAt());
    }

    /**
     * Whether the step {@code invalidate-cache} has anything to cover: a change of the device's
     * memory, or an exposure of the region's addresses.
     */
    public boolean needsInvalidation() {
        return type().needsInvalidation(ledger().mediaChangeSeq());
    }

    /** What the steps recorded (see {@link Ledger}). */
    Ledger ledger() {
        return ledger != null ? ledger : Ledger.EMPTY;
    }

    UUID batchId() {
        return batchId;
    }

    public void joinBatch(UUID batch) {
        batchId = batch;
    }

    /**
     * Served by the host's invalidation numbered {@code seq}, reported to have started at {@code
     * startedAt}.
     */
    public void recordInvalidation(long seq, Instant startedAt) {
        ledger = ledger().invalidation(seq, startedAt);
    }

    public void recordVerifyEvidence(String evidence) {
        ledger = ledger().verifyEvidence(evidence);
    }

    /** Whether the device's memory may have changed: then a failure must quarantine it. */
    boolean pastPointOfNoReturn() {
        return steps.stream()
                .anyMatch(
                        s ->
                                OperationType.POINT_OF_NO_RETURN.contains(s.name())
                                        && s.state() != StepState.PENDING
                                        && s.state() != StepState.SKIPPED);
    }

    private void end(OperationState end, Instant now, String error) {
        state = end;
        this.error = error;
        finishedAt = now;
        // The passphrase is kept only as long as a step may need it.
        passphraseSealed = null;
        touch(now);
    }

    private Step runningStep(String what) {
        requireActive(what + " a step");
        Step step = currentStep().orElseThrow(() -> new IllegalTransition("no step to " + what));
        if (step.state() != StepState.RUNNING) {
            throw new IllegalTransition(
                    "cannot "
                            + what
                            + " step "
                            + step.name().wire()
                            + ": it is "
                            + step.state().wire());
        }
        return step;
    }

    private void requireActive(String what) {
        if (isTerminal()) {
            throw new IllegalTransition("cannot " + what + ": the operation is " + state().wire());
        }
    }

    private String pointOfNoReturn() {
        return type() == OperationType.UNLOCK_DEVICE ? "unlock" : "erase";
    }

    private void touch(Instant now) {
        updatedAt = now;
    }

    // ---- reads --------------------------------------------------------------------------------

    boolean isTerminal() {
        return state().isTerminal();
    }

    public UUID id() {
        return id;
    }

    OperationType type() {
        return WireEnum.require(OperationType.class, type);
    }

    OperationState state() {
        return state;
    }

    public UUID deviceId() {
        return deviceId;
    }

    public UUID hostId() {
        return hostId;
    }

    UUID regionId() {
        return regionId;
    }

    String passphraseSealed() {
        return passphraseSealed;
    }

    DeviceStatus statusBefore() {
        return WireEnum.require(DeviceStatus.class, statusBefore);
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    long tick() {
        return tick;
    }

    String actor() {
        return actor;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant finishedAt() {
        return finishedAt;
    }

    List<Step> steps() {
        return steps;
    }

    public OperationView view() {
        return new OperationView(
                id,
                type(),
                deviceId,
                hostId,
                regionId,
                batchId,
                requested.method(),
                requested.reason(),
                state(),
                steps.stream().map(Step::view).toList(),
                error,
                cancelRequested && !isTerminal() ? Boolean.TRUE : null,
                actor,
                ledger().invalidationStartedAt(),
                ReadBack.ofEvidence(ledger().verifyEvidence()),
                null,
                requested.unlockKey(),
                createdAt,
                updatedAt,
                finishedAt);
    }

    /** A transition that does not fit the operation's state. */
    public static final class IllegalTransition extends RuntimeException {
        public IllegalTransition(String why) {
            super(why, null, false, false);
        }
    }
}
