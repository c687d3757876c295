package io.lethe.engine;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
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

    /**
     * Executions of an operation requested on its own are picked before a batch's waves that are
     * due as early or earlier (db-scheduler's priority): a lone erase is not starved by a fleet
     * batch.
     */
    static final int LONE_PRIORITY = 10;

    static final int BATCH_PRIORITY = 0;

    /** Prefix of a wave's execution: its first member's instance id follows. */
    private static final String WAVE = "wave-";

    private final ObjectProvider<SchedulerClient> scheduler;
    private final JdbcTemplate jdbc;
    private final WorkflowProperties properties;

    public OperationScheduler(
            ObjectProvider<SchedulerClient> scheduler,
            JdbcTemplate jdbc,
            WorkflowProperties properties) {
        this.scheduler = scheduler;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Advances the operation's tick and schedules the execution carrying it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void next(Operation operation, Instant at) {
        long tick = operation.nextTick();
        scheduler
                .getObject()
                .scheduleIfNotExists(
                        STEP.instance(instanceId(operation.id(), tick))
                                .data(operation.id().toString())
                                .priority(priority(operation))
                                .scheduledTo(at));
    }

    /**
     * Withdraws the operation's scheduled execution of this tick unless a replica has picked it
     * already; true when it was withdrawn, so nobody runs it and the caller may move the operation
     * on. The delete takes the row's lock, so a replica picking it at the same moment either sees
     * it gone or wins and makes this answer false.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean withdraw(UUID operationId, long tick) {
        return jdbc.update(
                        "delete from scheduled_tasks where task_name = ? and task_instance = ? and picked = false",
                        TASK,
                        instanceId(operationId, tick))
                == 1;
    }

    /**
     * Schedules one execution that moves all these operations together (a wave: a batch's
     * operations on one host), each at its next tick. A single operation gets its own execution as
     * with {@link #next}. The wave's members are named in its data, each with its tick, so the tick
     * guard works for every member as it does for a lone operation.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void nextTogether(List<Operation> operations, Instant at) {
        if (operations.size() == 1) {
            next(operations.get(0), at);
            return;
        }
        StringBuilder data = new StringBuilder();
        String instance = null;
        for (Operation operation : operations) {
            long tick = operation.nextTick();
            if (instance == null) {
                instance = WAVE + instanceId(operation.id(), tick);
            } else {
                data.append(',');
            }
            data.append(operation.id()).append(':').append(tick);
        }
        scheduler
                .getObject()
                .scheduleIfNotExists(
                        STEP.instance(instance)
                                .data(data.toString())
                                .priority(priority(operations.get(0)))
                                .scheduledTo(at));
    }

    /**
     * Schedules the first execution of a batch's waves (each the operations of one host): up to
     * {@code lethe.workflow.hosts-per-execution} hosts' waves share an execution, so that their
     * rounds share transactions. Members of several hosts still move host by host within it: each
     * host's members wait for each other, never for another host's (see {@code Sequencer}).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void startWaves(Collection<List<Operation>> waves, Instant at) {
        List<Operation> together = new ArrayList<>();
        int hosts = 0;
        for (List<Operation> wave : waves) {
            together.addAll(wave);
            if (++hosts == Math.max(1, properties.hostsPerExecution())) {
                nextTogether(together, at);
                together = new ArrayList<>();
                hosts = 0;
            }
        }
        if (!together.isEmpty()) {
            nextTogether(together, at);
        }
    }

    private static int priority(Operation operation) {
        return operation.subject().batchId() == null ? LONE_PRIORITY : BATCH_PRIORITY;
    }

    /** One operation an execution moves, with the tick the execution carries for it. */
    record Member(UUID operationId, long tick) {}

    /**
     * The operations an execution moves: one for a lone operation's execution, several for a
     * wave's.
     */
    static List<Member> members(String instanceId, String data) {
        if (!data.contains(":")) {
            return List.of(new Member(UUID.fromString(data), tickOf(instanceId)));
        }
        List<Member> members = new ArrayList<>();
        for (String member : data.split(",")) {
            int colon = member.indexOf(':');
            members.add(
                    new Member(
                            UUID.fromString(member.substring(0, colon)),
                            Long.parseLong(member.substring(colon + 1))));
        }
        return members;
    }

    static String instanceId(UUID operationId, long tick) {
        return operationId + "/" + tick;
    }

    static long tickOf(String instanceId) {
        return Long.parseLong(instanceId.substring(instanceId.indexOf('/') + 1));
    }
}
