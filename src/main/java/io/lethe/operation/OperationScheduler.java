package io.lethe.operation;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import java.time.Instant;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Schedules an operation's next execution on db-scheduler. The scheduler writes through a
 * transaction-aware data source, so the schedule commits with the caller's transaction: the state
 * change, its audit record and the next execution are one unit.
 */
@Component
class OperationScheduler {

    static final String TASK = "lethe-step";
    /** The task's name and data type; its handler is the bean in {@link SequencerTask}. */
    static final TaskDescriptor<String> STEP = TaskDescriptor.of(TASK, String.class);

    private final ObjectProvider<SchedulerClient> scheduler;

    OperationScheduler(ObjectProvider<SchedulerClient> scheduler) {
        this.scheduler = scheduler;
    }

    /** Advances the operation's tick and schedules the execution carrying it. */
    @Transactional(propagation = Propagation.MANDATORY)
    void next(Operation operation, Instant at) {
        long tick = operation.nextTick();
        scheduler.getObject().scheduleIfNotExists(STEP.instance(instanceId(operation.id(), tick))
                .data(operation.id().toString()).scheduledTo(at));
    }

    /** Drops a scheduled execution that a later tick made stale, if it is not running already. */
    @Transactional(propagation = Propagation.MANDATORY)
    void cancel(UUID operationId, long tick) {
        String id = instanceId(operationId, tick);
        try {
            var instance = com.github.kagkarlsson.scheduler.task.TaskInstanceId.of(TASK, id);
            if (scheduler.getObject().getScheduledExecution(instance).filter(e -> !e.isPicked()).isPresent()) {
                scheduler.getObject().cancel(instance);
            }
        } catch (RuntimeException stale) {
            // Already running or gone: the tick guard makes it a no-op either way.
        }
    }

    static String instanceId(UUID operationId, long tick) {
        return operationId + "/" + tick;
    }

    static long tickOf(String instanceId) {
        return Long.parseLong(instanceId.substring(instanceId.indexOf('/') + 1));
    }
}
