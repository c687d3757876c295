package io.lethe.engine;

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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

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

    @Convert(converter = StateConverters.OperationTypes.class)
    private OperationType type;

    @Embedded private Subject subject;

    @Embedded private Requested requested;

    @Convert(converter = StateConverters.OperationStates.class)
    private OperationState state;

    private String error;

    @Column(name = "cancel_requested")
    private boolean cancelRequested;

    /** Whether the erase limits let this operation start; unlocks need no admission. */
    private boolean admitted;

    private long tick;

    @Convert(converter = LedgerDocument.class)
    private Ledger ledger = Ledger.EMPTY;

    @Embedded private Timeline timeline;

    @Version private long version;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "operation_steps", joinColumns = @JoinColumn(name = "operation_id"))
    @OrderColumn(name = "position")
    private List<Step> steps;

    protected Operation() {}

    /**
     * A new operation, queued, with everything its request fixed.
     *
     * @throws IllegalTransition when the request does not fit the type (a key for no unlock)
     */
    public Operation(
            UUID id,
            OperationType type,
            OperationTarget target,
            OperationRequest request,
            String actor,
            Instant now,
            Instant deadline) {
        this.id = id;
        this.type = type;
        this.subject = new Subject(target);
        this.requested = Requested.of(type, request, actor);
        this.state = OperationState.QUEUED;
        this.timeline = Timeline.asked(now, deadline);
        this.steps = StepList.planned(type, target.regionId() != null);
        if (request.exposedUntil() != null) {
            // An attach's invalidation compares the exposure as it compares a media change.
            this.ledger = Ledger.EMPTY.mediaChange(request.exposedUntil(), null);
        }
    }

    /** What the request fixed: method, key, reason, backend. */
    Requested requested() {
        return requested;
    }

    /** The step to run now: the first that is neither done nor skipped. */
    Optional<Step> currentStep() {
        return stepList().current();
    }

    private StepList stepList() {
        return new StepList(steps);
    }

    Step startStep(Instant now) {
        requireActive("start a step");
        Step step = stepList().startNext(now);
        state = OperationState.RUNNING;
        touch(now);
        return step;
    }

    /** The current step succeeded; the operation succeeds with its last step. */
    Step completeStep(Instant now, String detail) {
        Step step = runningStep("complete", now);
        step.end(StepState.SUCCEEDED, now, detail);
        if (stepList().allDone()) {
            end(OperationState.SUCCEEDED, now, null);
        }
        return step;
    }

    void stepProgress(Instant now, Integer percent, String detail) {
        runningStep("report progress on", now).progress(percent, detail);
    }

    Step retryStep(Instant now, String reason) {
        Step step = runningStep("retry", now);
        step.retry("attempt " + step.attempts() + " failed: " + reason + "; retrying");
        return step;
    }

    /** The current step failed for good: so does the operation; the steps after it never run. */
    Step failStep(Instant now, String reason) {
        Step step = runningStep("fail", now);
        step.end(StepState.FAILED, now, reason);
        stepList().skipPending("not run: " + step.name().wire() + " failed");
        end(OperationState.FAILED, now, step.name().wire() + ": " + reason);
        return step;
    }

    /**
     * The operation ran past its deadline: the step in flight (or the one it waits to start) fails
     * with the reason and the operation with it. Returns that step.
     */
    Step expire(Instant now, String reason) {
        requireActive("expire");
        stepList().startedForExpiry(now);
        return failStep(now, reason);
    }

    /** Whether a cancel may still be honoured: the erase or unlock has not started. */
    public boolean cancellable() {
        return !isTerminal() && stepList().beforePointOfNoReturn();
    }

    public void requestCancel(Instant now) {
        refuseUnlessCancellable();
        cancelRequested = true;
        touch(now);
    }

    /** Whether a step is running right now (between its start and its outcome). */
    public boolean stepInFlight() {
        return stepList().inFlight();
    }

    void cancel(Instant now) {
        refuseUnlessCancellable();
        stepList().skipOpen("cancelled");
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

    /** Whether {@code invalidate-cache} has anything to cover: a media change or an exposure. */
    public boolean needsInvalidation() {
        return type().needsInvalidation(ledger().mediaChangeSeq());
    }

    /** What the steps recorded (see {@link Ledger}). */
    Ledger ledger() {
        return ledger != null ? ledger : Ledger.EMPTY;
    }

    /** What the steps record goes into the ledger as a new value (see {@link StepRecords}). */
    void record(UnaryOperator<Ledger> change) {
        ledger = change.apply(ledger());
    }

    /** Whether the device's memory may have changed: then a failure must quarantine it. */
    boolean pastPointOfNoReturn() {
        return stepList().pastPointOfNoReturn();
    }

    private void end(OperationState end, Instant now, String error) {
        state = end;
        this.error = error;
        // The passphrase is kept only as long as a step may need it.
        requested = requested.withoutPassphrase();
        timeline = timeline.ended(now);
    }

    /** The running step, which the caller moves now. */
    private Step runningStep(String what, Instant now) {
        requireActive(what + " a step");
        Step step = stepList().running(what);
        touch(now);
        return step;
    }

    private void requireActive(String what) {
        if (isTerminal()) {
            throw new IllegalTransition("cannot " + what + ": the operation is " + state().wire());
        }
    }

    private void refuseUnlessCancellable() {
        String change = type() == OperationType.UNLOCK_DEVICE ? "unlock" : "erase";
        if (!cancellable()) {
            throw new IllegalTransition(
                    isTerminal()
                            ? "the operation already ended (" + state().wire() + ")"
                            : "the " + change + " step already started");
        }
    }

    private void touch(Instant now) {
        timeline = timeline.moved(now);
    }

    boolean isTerminal() {
        return state().isTerminal();
    }

    public UUID id() {
        return id;
    }

    OperationType type() {
        return type;
    }

    OperationState state() {
        return state;
    }

    public UUID deviceId() {
        return subject.deviceId();
    }

    public UUID hostId() {
        return subject.hostId();
    }

    /** The device, host, region and batch it acts on, and the device's status before. */
    Subject subject() {
        return subject;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    long tick() {
        return tick;
    }

    /** When it was asked for, last moved and ended, and its deadline. */
    Timeline timeline() {
        return timeline;
    }

    List<Step> steps() {
        return steps;
    }

    public OperationView view() {
        return OperationView.of(this);
    }

    String error() {
        return error;
    }
}
