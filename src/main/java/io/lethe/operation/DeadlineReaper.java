package io.lethe.operation;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.lethe.device.DeviceStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Limit;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Timeouts as data: every operation carries a deadline, and a recurring task (run by one replica at
 * a time, as db-scheduler runs recurring tasks) fails the operations past it. Failing is the safe
 * direction: a device whose memory may have changed is quarantined, a region the operation holds
 * stays detached, and the operation's tick moves on so a step still in flight changes nothing.
 */
@Configuration(proxyBeanMethods = false)
class DeadlineReaper {

    static final String TASK = "lethe-deadline-reaper";
    private static final int BATCH = 200;

    @Bean
    RecurringTask<Void> letheDeadlineReaperTask(OperationRepository operations, Outcomes outcomes, StepRecorder recorder,
            WorkflowProperties properties, PlatformTransactionManager transactions, Clock clock) {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        return Tasks.recurring(TASK, FixedDelay.of(properties.reaperInterval())).execute((instance, context) -> {
            List<UUID> expired = operations.pastDeadline(clock.instant(), Limit.of(BATCH));
            for (UUID id : expired) {
                tx.executeWithoutResult(s -> operations.lock(id).ifPresent(op -> reap(op, outcomes, recorder, clock.instant())));
            }
        });
    }

    private static void reap(Operation op, Outcomes outcomes, StepRecorder recorder, Instant now) {
        if (op.isTerminal() || op.deadline() == null || !now.isAfter(op.deadline())) {
            return;
        }
        String reason = "the operation passed its deadline (" + op.deadline() + ")";
        boolean started = op.state() == OperationState.RUNNING;
        Step step = op.expire(now, reason);
        op.nextTick();
        recorder.failedStep(op, step, reason);
        // Once anything ran, a person looks at the device before it is used again.
        outcomes.ended(op, started ? DeviceStatus.QUARANTINED : op.statusBefore());
    }
}
