package io.lethe.engine;

import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.backend.Backends;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.engine.OperationScheduler.Member;
import io.lethe.engine.StepHandler.StepContext;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.region.RegionService;
import io.lethe.region.RegionView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves operations one step at a time. Each scheduled execution (a "tick") moves one operation, or
 * a wave of them (a batch's operations on one host), in rounds: it records the steps as started,
 * runs them outside any transaction with a time limit, and has {@link StepRecorder} record the
 * results with their effects, audit records and what comes next, in one transaction per round. An
 * execution whose tick is no longer an operation's changes nothing for it, so a duplicate or a
 * resumed execution after a crash is harmless; a step found running is simply run again, and every
 * step checks the hardware before it acts.
 */
@Component
class Sequencer {

    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);

    /**
     * At debug level, when each step run begins and ends: the replica tests check no two overlap.
     */
    private static final Logger runs = LoggerFactory.getLogger("io.lethe.engine.StepRuns");

    private final OperationRepository operations;
    private final HostService hosts;
    private final DeviceService devices;
    private final RegionService regions;
    private final Backends backends;
    private final AuditLog audit;
    private static final Duration ADMISSION_RETRY = Duration.ofMillis(500);

    private final Outcomes outcomes;
    private final StepRecorder recorder;
    private final Admission admission;
    private final OperationScheduler scheduler;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final StepHandlers handlers;
    private final BoundedRuns bounded;

    Sequencer(
            OperationRepository operations,
            HostService hosts,
            DeviceService devices,
            RegionService regions,
            Backends backends,
            AuditLog audit,
            Outcomes outcomes,
            StepRecorder recorder,
            Admission admission,
            OperationScheduler scheduler,
            PlatformTransactionManager transactions,
            Clock clock,
            StepHandlers handlers,
            BoundedRuns bounded) {
        this.bounded = bounded;
        this.operations = operations;
        this.hosts = hosts;
        this.devices = devices;
        this.regions = regions;
        this.backends = backends;
        this.audit = audit;
        this.outcomes = outcomes;
        this.recorder = recorder;
        this.admission = admission;
        this.scheduler = scheduler;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.handlers = handlers;
    }

    /**
     * One scheduled execution: of a lone operation, or of a wave (operations of one host that move
     * together, as a batch's do). It goes in rounds: one transaction records the last round's
     * results and starts every member's next step, then the steps run outside any transaction, one
     * member after another. Steps that end at once follow each other in the same execution; members
     * that poll or wait are scheduled again together. While the replica shuts down it starts
     * nothing: members are handed back (their next execution scheduled at once, for another
     * replica), and a step already running gets {@code lethe.workflow.shutdown-grace} to finish
     * before it is handed back too. Steps are idempotent, so whoever runs a handed-back execution
     * resumes the step.
     */
    void tick(List<Member> members, BooleanSupplier shuttingDown) {
        Map<UUID, Long> ticks = new HashMap<>();
        members.forEach(m -> ticks.put(m.operationId(), m.tick()));
        if (shuttingDown.getAsBoolean()) {
            tx.executeWithoutResult(
                    s -> handBack(ticks, List.copyOf(ticks.keySet()), "before it began"));
            return;
        }
        List<StepContext> round =
                tx.execute(
                        s -> {
                            NextExecutions next = new NextExecutions();
                            List<Operation> locked = operations.lockAll(ticks.keySet());
                            // The erase limits are looked at once for all members still waiting for
                            // a slot.
                            List<Operation> waiting =
                                    locked.stream()
                                            .filter(
                                                    op ->
                                                            op.tick() == ticks.get(op.id())
                                                                    && op.awaitingAdmission()
                                                                    && !op.cancelRequested())
                                            .toList();
                            if (!waiting.isEmpty()) {
                                admission.admit(waiting);
                            }
                            List<StepContext> started = beginAll(locked, ticks, next);
                            next.schedule(scheduler);
                            return started;
                        });
        while (!round.isEmpty()) {
            List<StepContext> toRun = new ArrayList<>();
            List<StepContext> carried = new ArrayList<>();
            splitRound(round, toRun, carried);
            List<Ran> ran = new ArrayList<>();
            List<UUID> handedBack = new ArrayList<>();
            for (List<StepContext> unit : units(toRun)) {
                if (!handedBack.isEmpty() || shuttingDown.getAsBoolean()) {
                    unit.forEach(c -> handedBack.add(c.operationId()));
                    continue;
                }
                runUnit(unit, ticks, shuttingDown, ran, handedBack);
            }
            boolean mayGoOn = !shuttingDown.getAsBoolean();
            List<StepContext> goesOn = mayGoOn ? carried : List.of();
            if (!mayGoOn) {
                carried.forEach(c -> handedBack.add(c.operationId()));
            }
            round = record(ran, handedBack, goesOn, ticks, mayGoOn);
        }
    }

    /**
     * Records the round in one transaction. Should that fail for a wave (one member's record hit a
     * conflict or a bug), each member is recorded on its own, so that one member cannot hold the
     * others back. A failure of its own is thrown afterwards, and db-scheduler runs the execution
     * again later for whoever it still names (members recorded meanwhile changed their tick, or
     * resume their started step, so nothing is done twice).
     */
    private List<StepContext> record(
            List<Ran> ran,
            List<UUID> handedBack,
            List<StepContext> carried,
            Map<UUID, Long> ticks,
            boolean mayGoOn) {
        try {
            return tx.execute(s -> recordRound(ran, handedBack, carried, ticks, mayGoOn));
        } catch (RuntimeException whole) {
            if (ran.size() + handedBack.size() <= 1) {
                throw whole;
            }
            log.warn(
                    "Recording a round of {} operations failed ({}); recording them one by one",
                    ran.size() + handedBack.size(),
                    whole.getClass().getSimpleName());
            RuntimeException first = null;
            List<StepContext> following = new ArrayList<>(carried);
            for (Ran r : ran) {
                try {
                    following.addAll(
                            tx.execute(
                                    s ->
                                            recordRound(
                                                    List.of(r),
                                                    List.of(),
                                                    List.of(),
                                                    ticks,
                                                    mayGoOn)));
                } catch (RuntimeException alone) {
                    first = first == null ? alone : first;
                }
            }
            if (!handedBack.isEmpty()) {
                tx.executeWithoutResult(s -> handBack(ticks, handedBack, null));
            }
            if (first != null) {
                throw first;
            }
            following.sort(Comparator.comparing(StepContext::operationId));
            return following;
        }
    }

    /**
     * The round's runs: one per operation, except that operations at one step are one run where the
     * step groups them (by region, or by host).
     */
    private List<List<StepContext>> units(List<StepContext> toRun) {
        Map<String, List<StepContext>> together = new LinkedHashMap<>();
        List<List<StepContext>> units = new ArrayList<>();
        for (StepContext context : toRun) {
            String key =
                    switch (handlers.get(context.step()).grouping()) {
                        case REGION ->
                                context.region() == null
                                        ? null
                                        : context.step() + "/" + context.region().id();
                        case HOST -> context.step() + "/" + context.host().id();
                        case NONE -> null;
                    };
            if (key == null) {
                units.add(List.of(context));
                continue;
            }
            List<StepContext> unit = together.get(key);
            if (unit == null) {
                unit = new ArrayList<>();
                together.put(key, unit);
                units.add(unit);
            }
            unit.add(context);
        }
        return units;
    }

    private void runUnit(
            List<StepContext> unit,
            Map<UUID, Long> ticks,
            BooleanSupplier shuttingDown,
            List<Ran> ran,
            List<UUID> handedBack) {
        StepContext first = unit.get(0);
        MDC.put("operationId", first.operationId().toString());
        try {
            StepHandler handler = handlers.get(first.step());
            if (unit.size() == 1 && !handler.grouping().formsUnits()) {
                ran.add(
                        new Ran(
                                first,
                                run(
                                        ticks.get(first.operationId()),
                                        first.step(),
                                        first,
                                        shuttingDown),
                                null));
            } else {
                Map<UUID, StepResult> results = runTogether(ticks, unit, shuttingDown);
                for (StepContext c : unit) {
                    StepResult result = results.get(c.operationId());
                    ran.add(
                            result instanceof StepResult.Raised raised
                                    ? new Ran(c, null, raised.cause())
                                    : new Ran(c, result, null));
                }
            }
        } catch (HandedBack handed) {
            unit.forEach(c -> handedBack.add(c.operationId()));
        } catch (StepFailure failure) {
            unit.forEach(c -> ran.add(new Ran(c, null, failure.getCause())));
        } finally {
            MDC.remove("operationId");
        }
    }

    /** What one member's step run gave: a result, or the exception it ended with. */
    private record Ran(StepContext context, StepResult result, Throwable failure) {}

    /**
     * Which of the round's members run now. Members of a host move in step: one that is ahead of
     * another of its host in this round waits a round for it, so that steps grouped by region or
     * host run for all of them at once.
     */
    private void splitRound(
            List<StepContext> round, List<StepContext> toRun, List<StepContext> carried) {
        Map<UUID, Integer> slowest = new HashMap<>();
        for (StepContext context : round) {
            slowest.merge(context.host().id(), stepIndex(context), Math::min);
        }
        for (StepContext context : round) {
            if (stepIndex(context) > slowest.get(context.host().id())) {
                carried.add(context);
            } else {
                toRun.add(context);
            }
        }
    }

    private static int stepIndex(StepContext context) {
        return context.type().steps().indexOf(context.step());
    }

    /**
     * Records a round in one transaction: every result (or failure), the hand-backs, and the start
     * of each next step; answers the contexts of the next round.
     */
    private List<StepContext> recordRound(
            List<Ran> ran,
            List<UUID> handedBack,
            List<StepContext> carried,
            Map<UUID, Long> ticks,
            boolean mayGoOn) {
        Set<UUID> ids = new HashSet<>(handedBack);
        ran.forEach(r -> ids.add(r.context().operationId()));
        Map<UUID, Operation> locked = new HashMap<>();
        if (!ids.isEmpty()) {
            operations.lockAll(ids).forEach(op -> locked.put(op.id(), op));
        }
        NextExecutions next = new NextExecutions();
        List<Operation> goOn = new ArrayList<>();
        for (Ran r : ran) {
            Operation op = locked.get(r.context().operationId());
            long tick = ticks.get(r.context().operationId());
            if (op == null) {
                continue;
            }
            MDC.put("operationId", op.id().toString());
            try {
                if (r.failure() != null) {
                    recorder.recordFailure(op, tick, r.context().step(), r.failure(), next);
                } else if (recorder.record(
                        op, tick, r.context().step(), r.result(), mayGoOn, next)) {
                    goOn.add(op);
                }
            } finally {
                MDC.remove("operationId");
            }
        }
        handBack(ticks, handedBack, locked, next, null);
        // Every result is recorded before any next step starts: a member starting invalidate-cache
        // must see that the other members' erases have ended, or it would wait for them in vain.
        List<StepContext> following = new ArrayList<>(carried);
        following.addAll(beginAll(goOn, ticks, next));
        next.schedule(scheduler);
        following.sort(Comparator.comparing(StepContext::operationId));
        return following;
    }

    /**
     * Starts each operation's current step (see {@link #begin}) and answers the contexts of those
     * whose step runs now. The views in the contexts are read after every member's start, for all
     * of them at once: the host, devices and region as this transaction leaves them.
     */
    private List<StepContext> beginAll(
            List<Operation> ops, Map<UUID, Long> ticks, NextExecutions next) {
        List<Operation> running = new ArrayList<>();
        for (Operation op : ops) {
            if (begin(op, ticks.get(op.id()), next, ticks.size() > 1)) {
                running.add(op);
            }
        }
        if (running.isEmpty()) {
            return new ArrayList<>();
        }
        Map<UUID, HostView> hostViews =
                hosts.views(running.stream().map(Operation::hostId).toList());
        Map<UUID, DeviceView> deviceViews =
                devices.views(running.stream().map(Operation::deviceId).toList());
        Map<UUID, RegionView> regionViews =
                regions.views(
                        running.stream()
                                .map(Operation::regionId)
                                .filter(Objects::nonNull)
                                .toList());
        List<StepContext> contexts = new ArrayList<>();
        for (Operation op : running) {
            // An id not found reads again through get(), which refuses it by name.
            HostView host = hostViews.computeIfAbsent(op.hostId(), hosts::get);
            Step step = op.currentStep().orElseThrow();
            contexts.add(
                    new StepContext(
                            op.id(),
                            step.name(),
                            op.type(),
                            op.method(),
                            op.masterPassphrase(),
                            op.allowFinalAttempt(),
                            op.passphraseSealed(),
                            op.unlockKey(),
                            op.verifyEvidence(),
                            host,
                            deviceViews.computeIfAbsent(op.deviceId(), devices::get),
                            op.regionId() == null
                                    ? null
                                    : regionViews.computeIfAbsent(op.regionId(), regions::get),
                            backends.forHost(host),
                            step.startedAt(),
                            op.mediaChangeSeq()));
        }
        return contexts;
    }

    /**
     * Starts the operation's current step, or decides it waits; true when the step runs now. A
     * member of a wave that must wait for the host's other erases looks again with its siblings'
     * polls: their execution is shared, so no other execution could wake it sooner.
     */
    private boolean begin(Operation op, long tick, NextExecutions next, boolean wave) {
        MDC.put("operationId", op.id().toString());
        try {
            return beginLogged(op, tick, next, wave);
        } finally {
            MDC.remove("operationId");
        }
    }

    private boolean beginLogged(Operation op, long tick, NextExecutions next, boolean wave) {
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

    /** The step's own work, between the commit that started it and the one that records it. */
    private StepResult run(
            long tick, StepName step, StepContext context, BooleanSupplier shuttingDown) {
        runs.debug(
                "run-start {} {} {} {}",
                context.operationId(),
                step.wire(),
                tick,
                System.currentTimeMillis());
        try {
            return bounded.run(() -> handlers.get(step).run(context), shuttingDown);
        } finally {
            runs.debug("run-end {} {}", context.operationId(), System.currentTimeMillis());
        }
    }

    /**
     * The step of a unit of operations (see {@link StepHandler#grouping}), run at once; a unit of
     * one host is one exchange with it.
     */
    private Map<UUID, StepResult> runTogether(
            Map<UUID, Long> ticks, List<StepContext> contexts, BooleanSupplier shuttingDown) {
        StepContext first = contexts.get(0);
        StepHandler handler = handlers.get(first.step());
        contexts.forEach(
                c ->
                        runs.debug(
                                "run-start {} {} {} {}",
                                c.operationId(),
                                first.step().wire(),
                                ticks.get(c.operationId()),
                                System.currentTimeMillis()));
        try {
            if (handler.grouping() == StepHandler.Grouping.HOST) {
                return bounded.run(
                        () ->
                                first.backend()
                                        .together(first.host(), () -> handler.runAll(contexts)),
                        shuttingDown);
            }
            return bounded.run(() -> handler.runAll(contexts), shuttingDown);
        } finally {
            contexts.forEach(
                    c -> runs.debug("run-end {} {}", c.operationId(), System.currentTimeMillis()));
        }
    }

    /**
     * Schedules the members' next execution now, without touching their state: each step stays as
     * it is (pending or running) and whoever takes the execution resumes it.
     */
    private void handBack(Map<UUID, Long> ticks, List<UUID> ids, String when) {
        Map<UUID, Operation> locked = new HashMap<>();
        operations.lockAll(ids).forEach(op -> locked.put(op.id(), op));
        NextExecutions next = new NextExecutions();
        handBack(ticks, ids, locked, next, when);
        next.schedule(scheduler);
    }

    /** {@code when} null: while the operation's current step ran. */
    private void handBack(
            Map<UUID, Long> ticks,
            List<UUID> ids,
            Map<UUID, Operation> locked,
            NextExecutions next,
            String when) {
        for (UUID id : ids) {
            Operation op = locked.get(id);
            if (op != null && op.tick() == ticks.get(id) && !op.isTerminal()) {
                next.add(op, clock.instant());
                log.info(
                        "Operation {} handed back {}: this replica is shutting down",
                        id,
                        when != null
                                ? when
                                : "while step "
                                        + op.currentStep()
                                                .map(step -> step.name().wire())
                                                .orElse("-")
                                        + " ran");
            }
        }
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
