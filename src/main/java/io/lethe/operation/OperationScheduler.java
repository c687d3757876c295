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
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    OperationScheduler(ObjectProvider<SchedulerClient> scheduler, org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.scheduler = scheduler;
        this.jdbc = jdbc;
    }

    /** Advances the operation's tick and schedules the execution carrying it. */
    @Transactional(propagation = Propagation.MANDATORY)
    void next(Operation operation, Instant at) {
        long tick = operation.nextTick();
        scheduler.getObject().scheduleIfNotExists(STEP.instance(instanceId(operation.id(), tick))
                .data(operation.id().toString()).scheduledTo(at));
    }

    /**
     * Withdraws the operation's scheduled execution of this tick unless a replica has picked it
     * already; true when it was withdrawn, so nobody runs it and the caller may move the operation on.
     * The delete takes the row's lock, so a replica picking it at the same moment either sees it
     * gone or wins and makes this answer false.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean withdraw(UUID operationId, long tick) {
        return jdbc.update("delete from scheduled_tasks where task_name = ? and task_instance = ? and picked = false",
                TASK, instanceId(operationId, tick)) == 1;
    }

    static String instanceId(UUID operationId, long tick) {
        return operationId + "/" + tick;
    }

    static long tickOf(String instanceId) {
        return Long.parseLong(instanceId.substring(instanceId.indexOf('/') + 1));
    }
}
