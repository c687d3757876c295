package io.lethe.engine;

import io.lethe.engine.StepHandler.StepContext;
import io.lethe.engine.StepHandler.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Runs a round's steps outside any transaction, within their time limit and the shutdown grace
 * ({@link BoundedRuns}). One path for one member or many: the round's members form units (one per
 * operation, except that operations at one step are one unit where the step groups them by region
 * or by host), and each unit runs through its handler's {@link StepHandler#runAll}; a unit of one
 * host is one exchange with it.
 */
@Component
class StepRuns {

    /**
     * At debug level, when each step run begins and ends: the replica tests check no two overlap.
     */
    private static final Logger runs = LoggerFactory.getLogger("io.lethe.engine.StepRuns");

    private final StepHandlers handlers;
    private final BoundedRuns bounded;

    StepRuns(StepHandlers handlers, BoundedRuns bounded) {
        this.handlers = handlers;
        this.bounded = bounded;
    }

    /** What one member's step run gave: a result, or the exception it ended with. */
    record Ran(StepContext context, StepResult result, Throwable failure) {}

    /** The units of these members (see the class). */
    List<List<StepContext>> units(List<StepContext> toRun) {
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
            together.computeIfAbsent(
                            key,
                            k -> {
                                List<StepContext> unit = new ArrayList<>();
                                units.add(unit);
                                return unit;
                            })
                    .add(context);
        }
        return units;
    }

    /**
     * Runs one unit; adds each member's result or failure to {@code ran}, or its id to {@code
     * handedBack} when the shutdown grace ran out.
     */
    void run(
            List<StepContext> unit,
            Map<UUID, Long> ticks,
            BooleanSupplier shuttingDown,
            List<Ran> ran,
            List<UUID> handedBack) {
        StepContext first = unit.get(0);
        MDC.put("operationId", first.operationId().toString());
        try {
            Map<UUID, StepResult> results = runAll(ticks, unit, shuttingDown);
            for (StepContext c : unit) {
                StepResult result = results.get(c.operationId());
                ran.add(
                        result instanceof StepResult.Raised raised
                                ? new Ran(c, null, raised.cause())
                                : new Ran(c, result, null));
            }
        } catch (BoundedRuns.HandedBack handed) {
            unit.forEach(c -> handedBack.add(c.operationId()));
        } catch (BoundedRuns.StepFailure failure) {
            unit.forEach(c -> ran.add(new Ran(c, null, failure.getCause())));
        } finally {
            MDC.remove("operationId");
        }
    }

    private Map<UUID, StepResult> runAll(
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
}
