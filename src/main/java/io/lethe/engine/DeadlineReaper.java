package io.lethe.engine;

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
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Timeouts as data: every operation carries a deadline, and a recurring task (run by one replica at
 * a time, as db-scheduler runs recurring tasks) fails the operations past it. Failing is the safe
 * direction: a device whose memory may have changed is quarantined, a region the operation holds
 * stays detached (an erase or unlock it started leaves the member's media state unknown, which
 * blocks every commit of the region), and the operation's tick moves on so a step still in flight
 * changes nothing.
 */
@Component
class DeadlineReaper {

    static final String TASK = "lethe-deadline-reaper";
    private static final int BATCH = 200;

    private final OperationRepository operations;
    private final Outcomes outcomes;
    private final StepRecorder recorder;
    private final TransactionTemplate tx;
    private final Clock clock;

    DeadlineReaper(
            OperationRepository operations,
            Outcomes outcomes,
            StepRecorder recorder,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.operations = operations;
        this.outcomes = outcomes;
        this.recorder = recorder;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Fails every operation past its deadline, each in its own transaction. */
    void reapExpired() {
        List<UUID> expired = operations.pastDeadline(clock.instant(), Limit.of(BATCH));
        for (UUID id : expired) {
            tx.executeWithoutResult(
                    s -> operations.lock(id).ifPresent(op -> reap(op, clock.instant())));
        }
    }

    private void reap(Operation op, Instant now) {
        if (op.isTerminal()
                || op.timeline().deadline() == null
                || !now.isAfter(op.timeline().deadline())) {
            return;
        }
        String reason = "the operation passed its deadline (" + op.timeline().deadline() + ")";
        boolean started = op.state() == OperationState.RUNNING;
        Step step = op.expire(now, reason);
        op.nextTick();
        recorder.failedStep(op, step, reason);
        // Once anything ran, a person looks at the device before it is used again.
        outcomes.ended(op, started ? DeviceStatus.QUARANTINED : op.subject().statusBefore());
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        RecurringTask<Void> letheDeadlineReaperTask(
                DeadlineReaper reaper, WorkflowProperties properties) {
            return Tasks.recurring(TASK, FixedDelay.of(properties.reaperInterval()))
                    .execute((instance, context) -> reaper.reapExpired());
        }
    }
}
