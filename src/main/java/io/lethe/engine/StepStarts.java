package io.lethe.engine;

import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.engine.StepHandler.StepContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Starts steps, in the caller's transaction: an operation's current step is recorded started with
 * its audit record and its handler's start effects, or the operation is found waiting (its tick is
 * no longer this execution's, it is cancelled, it waits for admission, its step holds), and the
 * steps that run now are answered with their contexts.
 */
@Component
class StepStarts {

    private static final Logger log = LoggerFactory.getLogger(StepStarts.class);
    private static final Duration ADMISSION_RETRY = Duration.ofMillis(500);

    private final AuditLog audit;
    private final Outcomes outcomes;
    private final StepHandlers handlers;
    private final StepContexts contexts;
    private final Clock clock;

    StepStarts(
            AuditLog audit,
            Outcomes outcomes,
            StepHandlers handlers,
            StepContexts contexts,
            Clock clock) {
        this.audit = audit;
        this.outcomes = outcomes;
        this.handlers = handlers;
        this.contexts = contexts;
        this.clock = clock;
    }

    /**
     * Starts each operation's current step (see {@link #begin}) and answers the contexts of those
     * whose step runs now. The views in the contexts are read after every member's start, for all
     * of them at once: the host, devices and region as this transaction leaves them.
     */
    List<StepContext> beginAll(List<Operation> ops, Map<UUID, Long> ticks, NextExecutions next) {
        List<Operation> running = new ArrayList<>();
        for (Operation op : ops) {
            MDC.put("operationId", op.id().toString());
            try {
                if (begin(op, ticks.get(op.id()), next, ticks.size() > 1)) {
                    running.add(op);
                }
            } finally {
                MDC.remove("operationId");
            }
        }
        return contexts.of(running);
    }

    /**
     * Starts the operation's current step, or decides it waits; true when the step runs now. A
     * member of a wave that must wait for the host's other erases looks again with its siblings'
     * polls: their execution is shared, so no other execution could wake it sooner.
     */
    private boolean begin(Operation op, long tick, NextExecutions next, boolean wave) {
        if (op.tick() != tick || op.isTerminal()) {
            return false;
        }
        Step step = op.currentStep().orElse(null);
        if (step == null) {
            return false;
        }
        if (op.cancelRequested() && op.cancellable() && step.state() == StepState.PENDING) {
            op.cancel(clock.instant());
            outcomes.ended(op, true);
            return false;
        }
        if (op.awaitingAdmission()) {
            // Its turn has not come (the execution's first transaction looked): look again shortly,
            // still queued.
            next.add(op, clock.instant().plus(ADMISSION_RETRY));
            return false;
        }
        if (step.state() == StepState.PENDING) {
            op.startStep(clock.instant());
            audit.append(
                    new AuditEntry(
                            Outcomes.SYSTEM,
                            "step-started",
                            op.id(),
                            op.deviceId(),
                            op.hostId(),
                            step.name().wire(),
                            null,
                            "attempt " + step.attempts()));
            log.info(
                    "Operation {} step {} started (attempt {})",
                    op.id(),
                    step.name().wire(),
                    step.attempts());
            StepHandler handler = handlers.get(step.name());
            handler.started(op);
            StepHandler.Hold hold = handler.holdAtStart(op, wave);
            if (hold != null) {
                op.stepProgress(clock.instant(), null, hold.detail());
                next.add(op, clock.instant().plus(hold.after()));
                return false;
            }
        }
        return true;
    }
}
