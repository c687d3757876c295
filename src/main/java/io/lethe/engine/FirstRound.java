package io.lethe.engine;

import io.lethe.engine.StepHandler.StepContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An execution's first transaction: its members locked, those still waiting for an erase slot
 * admitted or kept queued (the erase limits looked at once for all of them), every member's current
 * step started ({@link StepStarts}), and what comes next for the others scheduled.
 */
@Component
class FirstRound {

    private final OperationRepository operations;
    private final Admission admission;
    private final StepStarts starts;
    private final OperationScheduler scheduler;
    private final TransactionTemplate tx;

    FirstRound(
            OperationRepository operations,
            Admission admission,
            StepStarts starts,
            OperationScheduler scheduler,
            PlatformTransactionManager transactions) {
        this.operations = operations;
        this.admission = admission;
        this.starts = starts;
        this.scheduler = scheduler;
        this.tx = new TransactionTemplate(transactions);
    }

    /** The contexts of the steps that run now, by the operations' ticks in this execution. */
    List<StepContext> open(Map<UUID, Long> ticks) {
        return tx.execute(
                s -> {
                    NextExecutions next = new NextExecutions();
                    List<Operation> locked = operations.lockAll(ticks.keySet());
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
                    List<StepContext> started = starts.beginAll(locked, ticks, next);
                    next.schedule(scheduler);
                    return started;
                });
    }
}
