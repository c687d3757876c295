package io.lethe.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An operation's ordered steps as its state machine reads and moves them: a view over the
 * aggregate's own list (never stored on its own), so that {@link Operation} keeps the transitions
 * and this keeps which step they apply to.
 */
final class StepList {

    private final List<Step> steps;

    StepList(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * The steps an operation of this type plans; those that act on a region are skipped at once
     * when the device is in none.
     */
    static List<Step> planned(OperationType type, boolean inRegion) {
        List<Step> planned = new ArrayList<>();
        for (StepName name : type.steps()) {
            Step step = new Step(name, StepState.PENDING);
            if (!inRegion && OperationType.REGION_STEPS.contains(name)) {
                step.skip("the device is in no region");
            }
            planned.add(step);
        }
        return planned;
    }

    /** The step to run now: the first that is neither done nor skipped. */
    Optional<Step> current() {
        return steps.stream().filter(StepList::open).findFirst();
    }

    /** Starts the current step, which must be pending. */
    Step startNext(Instant now) {
        Step step = current().orElseThrow(() -> new IllegalTransition("no step left to start"));
        if (step.state() != StepState.PENDING) {
            throw new IllegalTransition(
                    "step " + step.name().wire() + " is " + step.state().wire() + ", not pending");
        }
        step.start(now);
        return step;
    }

    /** The current step, which must be running. */
    Step running(String what) {
        Step step = current().orElseThrow(() -> new IllegalTransition("no step to " + what));
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

    /** The current step, started now if it waits to: what an expiry fails. */
    Step startedForExpiry(Instant now) {
        Step step = current().orElseThrow(() -> new IllegalTransition("no step left to expire"));
        if (step.state() == StepState.PENDING) {
            step.start(now);
        }
        return step;
    }

    boolean inFlight() {
        return current().map(s -> s.state() == StepState.RUNNING).orElse(false);
    }

    boolean allDone() {
        return current().isEmpty();
    }

    /** Every step still pending is skipped for this reason (the steps after a failure). */
    void skipPending(String reason) {
        steps.stream().filter(s -> s.state() == StepState.PENDING).forEach(s -> s.skip(reason));
    }

    /** Every step not yet ended is skipped for this reason (a cancel). */
    void skipOpen(String reason) {
        steps.stream().filter(StepList::open).forEach(s -> s.skip(reason));
    }

    /** Whether no erase or unlock has started: a cancel may still be honoured. */
    boolean beforePointOfNoReturn() {
        return steps.stream()
                .filter(s -> OperationType.POINT_OF_NO_RETURN.contains(s.name()))
                .allMatch(s -> s.state() == StepState.PENDING);
    }

    /** Whether an erase or unlock ran (or runs): the device's memory may have changed. */
    boolean pastPointOfNoReturn() {
        return steps.stream()
                .anyMatch(
                        s ->
                                OperationType.POINT_OF_NO_RETURN.contains(s.name())
                                        && s.state() != StepState.PENDING
                                        && s.state() != StepState.SKIPPED);
    }

    List<OperationView.StepView> views() {
        return steps.stream().map(Step::view).toList();
    }

    private static boolean open(Step step) {
        return step.state() == StepState.PENDING || step.state() == StepState.RUNNING;
    }
}
