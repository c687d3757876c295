package io.lethe.operation;

import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.backend.BackendException;
import io.lethe.backend.Backends;
import io.lethe.common.StepName;
import io.lethe.device.DeviceService;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.operation.StepHandler.StepContext;
import io.lethe.operation.StepHandler.StepResult;
import io.lethe.region.RegionService;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves operations one step at a time. Each scheduled execution (a "tick") does three things:
 * records the step as started, runs it outside any transaction with a time limit, and has
 * {@link StepRecorder} record the result with its effects, its audit record and the next
 * execution, in one transaction. An
 * execution whose tick is no longer the operation's changes nothing, so a duplicate or a resumed
 * execution after a crash is harmless; a step found running is simply run again, and every step
 * checks the hardware before it acts.
 */
@Component
class Sequencer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);
    /** At debug level, when each step run begins and ends: the replica tests check no two overlap. */
    private static final Logger runs = LoggerFactory.getLogger("io.lethe.operation.StepRuns");

    private final OperationRepository operations;
    private final HostService hosts;
    private final DeviceService devices;
    private final RegionService regions;
    private final Backends backends;
    private final AuditLog audit;
    private static final java.time.Duration ADMISSION_RETRY = java.time.Duration.ofMillis(500);
    /** How often a running step's caller looks at its time limit and at the shutdown flag. */
    private static final java.time.Duration WATCH = java.time.Duration.ofMillis(100);
    private final Outcomes outcomes;
    private final StepRecorder recorder;
    private final EraseAdmission admission;
    private final HostInvalidations coalescing;
    private final OperationScheduler scheduler;
    private final WorkflowProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Map<StepName, StepHandler> handlers = new EnumMap<>(StepName.class);
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lethe-step");
        t.setDaemon(true);
        return t;
    });

    Sequencer(OperationRepository operations, HostService hosts, DeviceService devices, RegionService regions,
            Backends backends, AuditLog audit, Outcomes outcomes, StepRecorder recorder, EraseAdmission admission,
            HostInvalidations coalescing, OperationScheduler scheduler,
            WorkflowProperties properties, PlatformTransactionManager transactions, Clock clock,
            List<StepHandler> stepHandlers, CommitRegionStep commitRegion) {
        this.operations = operations;
        this.hosts = hosts;
        this.devices = devices;
        this.regions = regions;
        this.backends = backends;
        this.audit = audit;
        this.outcomes = outcomes;
        this.recorder = recorder;
        this.admission = admission;
        this.coalescing = coalescing;
        this.scheduler = scheduler;
        this.properties = properties;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        stepHandlers.forEach(h -> handlers.put(h.step(), h));
        handlers.put(StepName.REATTACH_REGION, commitRegion.handler(StepName.REATTACH_REGION));
        handlers.put(StepName.ATTACH_REGION, commitRegion.handler(StepName.ATTACH_REGION));
    }

    /** One scheduled execution of an operation, on a replica that is not shutting down. */
    void tick(UUID operationId, long tick) {
        tick(operationId, tick, () -> false);
    }

    /**
     * One scheduled execution of an operation. While the replica shuts down it starts nothing: the
     * operation is handed back (its next execution scheduled at once, for another replica), and a
     * step already running gets {@code lethe.workflow.shutdown-grace} to finish before it is handed
     * back too. Steps are idempotent, so whoever runs the handed-back execution resumes the step.
     */
    void tick(UUID operationId, long tick, BooleanSupplier shuttingDown) {
        MDC.put("operationId", operationId.toString());
        try {
            if (shuttingDown.getAsBoolean()) {
                handBack(operationId, tick, "before it began");
                return;
            }
            StepContext context = tx.execute(s -> begin(operationId, tick));
            // Steps that end at once follow each other in this execution: recording one step's end
            // and starting the next is one transaction, and no new execution is scheduled between them.
            while (context != null) {
                StepName step = context.step();
                StepResult result;
                try {
                    result = run(tick, step, context, shuttingDown);
                } catch (HandedBack handedBack) {
                    handBack(operationId, tick, "while step " + step.wire() + " ran");
                    return;
                } catch (StepFailure failure) {
                    recorder.recordFailure(operationId, tick, step, failure.getCause());
                    return;
                }
                boolean mayGoOn = !shuttingDown.getAsBoolean();
                context = tx.execute(s -> recorder.record(operationId, tick, step, result, mayGoOn) ? begin(operationId, tick) : null);
            }
        } finally {
            MDC.remove("operationId");
        }
    }

    private StepContext begin(UUID operationId, long tick) {
        Operation op = operations.lock(operationId).orElse(null);
        if (op == null || op.tick() != tick || op.isTerminal()) {
            return null;
        }
        Step step = op.currentStep().orElse(null);
        if (step == null) {
            return null;
        }
        if (op.cancelRequested() && op.cancellable() && step.state() == StepState.PENDING) {
            op.cancel(clock.instant());
            outcomes.ended(op, true);
            return null;
        }
        if (op.awaitingAdmission() && !admission.tryAdmit(op)) {
            // Its turn has not come: look again shortly, still queued.
            scheduler.next(op, clock.instant().plus(ADMISSION_RETRY));
            return null;
        }
        if (step.state() == StepState.PENDING) {
            op.startStep(clock.instant());
            audit.append(new AuditEntry(Outcomes.SYSTEM, "step-started", op.id(), op.deviceId(), op.hostId(),
                    step.name().wire(), null, "attempt " + step.attempts()));
            log.info("Operation {} step {} started (attempt {})", op.id(), step.name().wire(), step.attempts());
            if (step.name() == StepName.INVALIDATE_CACHE && coalescing.othersStillChanging(op)) {
                // Wait for the host's other erases: the invalidation that starts after the last of
                // them serves them all. Whoever runs it wakes this one; the fallback is a later look.
                op.stepProgress(clock.instant(), null, "waiting for the other erases of the host to end");
                scheduler.next(op, clock.instant().plus(properties.coalescingWindow()));
                return null;
            }
        }
        HostView host = hosts.get(op.hostId());
        return new StepContext(op.id(), step.name(), op.type(), op.method(), op.masterPassphrase(), op.allowFinalAttempt(),
                op.passphraseSealed(), op.verifyEvidence(), host, devices.get(op.deviceId()),
                op.regionId() == null ? null : regions.get(op.regionId()), backends.forHost(host), step.startedAt(),
                op.mediaChangedAt());
    }

    /** The step's own work, between the commit that started it and the one that records it. */
    private StepResult run(long tick, StepName step, StepContext context, BooleanSupplier shuttingDown) {
        runs.debug("run-start {} {} {} {}", context.operationId(), step.wire(), tick, System.currentTimeMillis());
        try {
            return runWithinLimits(step, context, shuttingDown);
        } finally {
            runs.debug("run-end {} {}", context.operationId(), System.currentTimeMillis());
        }
    }

    private StepResult runWithinLimits(StepName step, StepContext context, BooleanSupplier shuttingDown) {
        Future<StepResult> running = runner.submit(() -> handlers.get(step).run(context));
        long timeout = System.nanoTime() + properties.stepTimeout().toNanos();
        long grace = Long.MAX_VALUE;
        try {
            while (true) {
                long now = System.nanoTime();
                if (grace == Long.MAX_VALUE && shuttingDown.getAsBoolean()) {
                    grace = now + properties.shutdownGrace().toNanos();
                }
                if (now - grace >= 0) {
                    running.cancel(true);
                    throw new HandedBack();
                }
                if (now - timeout >= 0) {
                    running.cancel(true);
                    throw new StepFailure(new BackendException.TimedOut("no answer within " + properties.stepTimeout()));
                }
                try {
                    return running.get(Math.min(WATCH.toNanos(), timeout - now), TimeUnit.NANOSECONDS);
                } catch (TimeoutException stillRunning) {
                    // look at the clock and the shutdown flag again
                }
            }
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new StepFailure(new BackendException.TimedOut("interrupted while the step ran"));
        } catch (ExecutionException e) {
            throw new StepFailure(e.getCause());
        }
    }

    /**
     * Schedules the operation's next execution now, without touching its state: the step stays as
     * it is (pending or running) and whoever takes the execution resumes it.
     */
    private void handBack(UUID operationId, long tick, String when) {
        tx.executeWithoutResult(s -> operations.lock(operationId).ifPresent(op -> {
            if (op.tick() == tick && !op.isTerminal()) {
                scheduler.next(op, clock.instant());
                log.info("Operation {} handed back {}: this replica is shutting down", operationId, when);
            }
        }));
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }

    /** The shutdown grace ran out while the step ran. */
    static final class HandedBack extends RuntimeException {
        HandedBack() {
            super("handed back", null, false, false);
        }
    }

    /** Carries a step's exception out of {@link #run} to the failure path. */
    static final class StepFailure extends RuntimeException {
        StepFailure(Throwable cause) {
            super(cause);
        }
    }
}
