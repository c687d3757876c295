package io.lethe.engine;

import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.backend.BackendException;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.host.HostService;
import io.lethe.region.RegionNotReady;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records what a step did, in the transaction that also audits it and schedules what comes next:
 * success moves to the next step or ends the operation, progress schedules another look, a
 * transient failure a retry with backoff while attempts last, any other failure ends the operation.
 * A result whose tick is no longer the operation's is dropped. The caller holds the transaction and
 * the operation's row lock, and schedules what {@link NextExecutions} collected.
 */
@Component
class StepRecorder {

    private static final Logger log = LoggerFactory.getLogger(StepRecorder.class);

    private final HostService hosts;
    private final AuditLog audit;
    private final Outcomes outcomes;
    private final OperationMetrics metrics;
    private final WorkflowProperties properties;
    private final Clock clock;

    StepRecorder(
            HostService hosts,
            AuditLog audit,
            Outcomes outcomes,
            OperationMetrics metrics,
            WorkflowProperties properties,
            Clock clock) {
        this.hosts = hosts;
        this.audit = audit;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Records the result, in the caller's transaction, on the operation the caller has locked. With
     * {@code mayGoOn}, a success that leaves steps to run schedules nothing and answers true: the
     * caller starts the next step in this same transaction. What comes later goes to {@code next}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean record(
            Operation op,
            long tick,
            StepName stepName,
            StepResult result,
            boolean mayGoOn,
            NextExecutions next) {
        if (op.tick() != tick || op.isTerminal()) {
            log.warn(
                    "Operation {} moved on while step {} ran; its result is dropped",
                    op.id(),
                    stepName.wire());
            return false;
        }
        return apply(op, stepName, result, mayGoOn, next);
    }

    private boolean apply(
            Operation op,
            StepName stepName,
            StepResult result,
            boolean mayGoOn,
            NextExecutions next) {
        if (result instanceof StepResult.Done done) {
            done.effects().apply(new StepRecords(op));
            Step step = op.completeStep(clock.instant(), done.detail());
            metrics.stepEnded(stepName, step.duration());
            audit.append(
                    new AuditEntry(
                            Outcomes.SYSTEM,
                            "step-succeeded",
                            op.id(),
                            op.deviceId(),
                            op.hostId(),
                            stepName.wire(),
                            "succeeded",
                            done.detail()));
            log.info("Operation {} step {} succeeded: {}", op.id(), stepName.wire(), done.detail());
            if (op.isTerminal()) {
                outcomes.ended(op, false);
            } else if (mayGoOn) {
                return true;
            } else {
                next.add(op, clock.instant());
            }
        } else if (result instanceof StepResult.Poll poll) {
            op.stepProgress(clock.instant(), poll.percent(), poll.detail());
            next.add(op, clock.instant().plus(poll.after()));
        } else if (result instanceof StepResult.Fail fail) {
            fail.effects().apply(new StepRecords(op));
            failed(op, stepName, fail.reason(), fail.memoryUntouched());
        }
        return false;
    }

    private void failed(Operation op, StepName stepName, String reason, boolean memoryUntouched) {
        failedStep(op, op.failStep(clock.instant(), reason), reason);
        outcomes.ended(op, memoryUntouched);
    }

    /**
     * The metrics, audit record and log line of a step that failed for good (the caller ends the
     * operation).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void failedStep(Operation op, Step step, String reason) {
        metrics.stepEnded(step.name(), step.duration());
        audit.append(
                new AuditEntry(
                        Outcomes.SYSTEM,
                        "step-failed",
                        op.id(),
                        op.deviceId(),
                        op.hostId(),
                        step.name().wire(),
                        "failed",
                        reason));
        log.warn("Operation {} step {} failed: {}", op.id(), step.name().wire(), reason);
    }

    /**
     * A step threw: retry a transient failure while attempts last, else fail the operation. In the
     * caller's transaction, on the operation the caller has locked.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void recordFailure(
            Operation op, long tick, StepName stepName, Throwable cause, NextExecutions next) {
        if (op.tick() != tick || op.isTerminal()) {
            return;
        }
        Step step = op.currentStep().orElseThrow();
        String reason = reasonOf(cause);
        if (cause instanceof BackendException) {
            metrics.backendError(hosts.get(op.hostId()).backend().type().wire(), stepName);
        }
        boolean retryable = cause instanceof BackendException b && b.retryable();
        if (retryable && step.attempts() < properties.maxAttempts()) {
            op.retryStep(clock.instant(), reason);
            audit.append(
                    new AuditEntry(
                            Outcomes.SYSTEM,
                            "step-retry",
                            op.id(),
                            op.deviceId(),
                            op.hostId(),
                            stepName.wire(),
                            "retry",
                            "attempt " + step.attempts() + " failed: " + reason));
            log.info(
                    "Operation {} step {} attempt {} failed, retrying: {}",
                    op.id(),
                    stepName.wire(),
                    step.attempts(),
                    reason);
            next.add(op, clock.instant().plus(properties.backoffAfter(step.attempts())));
        } else {
            failed(
                    op,
                    stepName,
                    reason + (retryable ? " (after " + step.attempts() + " attempts)" : ""),
                    false);
        }
    }

    private static String reasonOf(Throwable cause) {
        if (cause instanceof BackendException || cause instanceof RegionNotReady) {
            return cause.getMessage();
        }
        log.error("Unexpected error in a step", cause);
        return "internal error (" + cause.getClass().getSimpleName() + "); see the service log";
    }
}
