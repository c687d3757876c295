package io.lethe.engine;

import io.lethe.engine.StepHandler.StepContext;
import io.lethe.engine.StepRuns.Ran;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records a round of step runs: every result or failure ({@link StepRecorder}, the one writer of
 * step transitions), the members handed back, and the start of each next step ({@link StepStarts}),
 * in one transaction; should that fail for a wave, each member on its own.
 */
@Component
class RoundRecorder {

    private static final Logger log = LoggerFactory.getLogger(RoundRecorder.class);

    private final OperationRepository operations;
    private final StepRecorder recorder;
    private final StepStarts starts;
    private final OperationScheduler scheduler;
    private final TransactionTemplate tx;
    private final Clock clock;

    RoundRecorder(
            OperationRepository operations,
            StepRecorder recorder,
            StepStarts starts,
            OperationScheduler scheduler,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.operations = operations;
        this.recorder = recorder;
        this.starts = starts;
        this.scheduler = scheduler;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Records the round in one transaction and answers the next round's contexts. Should that fail
     * for a wave (one member's record hit a conflict or a bug), each member is recorded on its own,
     * so that one member cannot hold the others back. A failure of its own is thrown afterwards,
     * and db-scheduler runs the execution again later for whoever it still names (members recorded
     * meanwhile changed their tick, or resume their started step, so nothing is done twice).
     */
    List<StepContext> record(
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
                handBack(ticks, handedBack, null);
            }
            if (first != null) {
                throw first;
            }
            following.sort(Comparator.comparing(StepContext::operationId));
            return following;
        }
    }

    /**
     * Schedules the members' next execution now, in a transaction of its own, without touching
     * their state: each step stays as it is (pending or running) and whoever takes the execution
     * resumes it. {@code when} null: while the operation's current step ran.
     */
    void handBack(Map<UUID, Long> ticks, List<UUID> ids, String when) {
        tx.executeWithoutResult(
                s -> {
                    Map<UUID, Operation> locked = new HashMap<>();
                    operations.lockAll(ids).forEach(op -> locked.put(op.id(), op));
                    NextExecutions next = new NextExecutions();
                    handBack(ticks, ids, locked, next, when);
                    next.schedule(scheduler);
                });
    }

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
        following.addAll(starts.beginAll(goOn, ticks, next));
        next.schedule(scheduler);
        following.sort(Comparator.comparing(StepContext::operationId));
        return following;
    }

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
}
