package io.lethe.engine;

import io.lethe.engine.StepHandler.StepResult;
import java.util.Collection;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves on operations that another operation's action served (one invalidation serves every
 * operation of the host waiting for it), through {@link StepRecorder}, the one writer of step
 * transitions, in the caller's transaction.
 */
@Component
public class ServedOperations {

    private final OperationRepository operations;
    private final OperationScheduler scheduler;
    private final StepRecorder recorder;

    ServedOperations(
            OperationRepository operations, OperationScheduler scheduler, StepRecorder recorder) {
        this.operations = operations;
        this.scheduler = scheduler;
        this.recorder = recorder;
    }

    /**
     * Records {@code result} for each of these operations still running {@code step}, and answers
     * how many it moved on. Only an operation whose next look still waits in the schedule is moved
     * on here (the look is withdrawn); one whose execution runs right now finds the action itself,
     * so that no two runs of one operation ever overlap.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int recordServed(Collection<UUID> ids, StepName step, StepResult result) {
        NextExecutions next = new NextExecutions();
        int served = 0;
        for (UUID id : ids) {
            Operation op = operations.lock(id).orElse(null);
            if (op == null || op.isTerminal()) {
                continue;
            }
            Step current = op.currentStep().orElse(null);
            if (current == null
                    || current.name() != step
                    || current.state() != StepState.RUNNING
                    || !scheduler.withdraw(op.id(), op.tick())) {
                continue;
            }
            recorder.record(op, op.tick(), step, result, false, next);
            served++;
        }
        next.schedule(scheduler);
        return served;
    }
}
