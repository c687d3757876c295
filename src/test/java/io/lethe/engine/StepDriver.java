package io.lethe.engine;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.ScheduledExecutionsFilter;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import io.lethe.support.VirtualClock;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The scheduler, played by a test: with db-scheduler's polling switched off ({@code
 * db-scheduler.polling-interval=1h}), it runs the step executions due at the virtual clock's true
 * time, picking, running and deleting each as a replica would; one that throws is left due again,
 * as db-scheduler leaves a dead replica's execution for another to run.
 */
public final class StepDriver {

    private final SchedulerClient scheduler;
    private final Sequencer sequencer;
    private final JdbcTemplate jdbc;
    private final VirtualClock clock;
    private final DeadlineReaper reaper;

    public StepDriver(ApplicationContext context) {
        this.scheduler = context.getBean(SchedulerClient.class);
        this.sequencer = context.getBean(Sequencer.class);
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.clock = context.getBean(VirtualClock.class);
        this.reaper = context.getBean(DeadlineReaper.class);
    }

    /** The step executions due now, in due order. */
    public List<ScheduledExecution<Object>> due() {
        return scheduler.getScheduledExecutions(ScheduledExecutionsFilter.all()).stream()
                .filter(e -> e.getTaskInstance().getTaskName().equals(OperationScheduler.TASK))
                .filter(e -> !e.getExecutionTime().isAfter(clock.trueNow()))
                .sorted(
                        Comparator.comparing((ScheduledExecution<Object> e) -> e.getExecutionTime())
                                .thenComparing(e -> e.getTaskInstance().getId()))
                .toList();
    }

    /** Runs every execution due now once; answers how many died. */
    public int runDue() {
        int died = 0;
        for (ScheduledExecution<Object> execution : due()) {
            died += run(execution) ? 0 : 1;
        }
        return died;
    }

    /**
     * Lets time pass in steps of {@code step}, running what falls due, until nothing is scheduled
     * or {@code max} steps passed.
     */
    public void runUntilQuiet(Duration step, int max) {
        for (int i = 0; i < max && hasSteps(); i++) {
            runDue();
            clock.advance(step);
        }
    }

    public boolean hasSteps() {
        return scheduler.getScheduledExecutions(ScheduledExecutionsFilter.all()).stream()
                .anyMatch(e -> e.getTaskInstance().getTaskName().equals(OperationScheduler.TASK));
    }

    /**
     * Picks the execution as a replica would, runs it, and deletes it; answers false when it died
     * (it is due again).
     */
    public boolean run(ScheduledExecution<Object> execution) {
        String instance = execution.getTaskInstance().getId();
        if (jdbc.update(
                        "update scheduled_tasks set picked = true, picked_by = 'step-driver', last_heartbeat = ?"
                                + " where task_name = ? and task_instance = ? and picked = false",
                        Timestamp.from(clock.instant()),
                        OperationScheduler.TASK,
                        instance)
                == 0) {
            return true;
        }
        try {
            sequencer.tick(
                    OperationScheduler.members(instance, (String) execution.getData()),
                    () -> false);
            jdbc.update(
                    "delete from scheduled_tasks where task_name = ? and task_instance = ?",
                    OperationScheduler.TASK,
                    instance);
            return true;
        } catch (RuntimeException died) {
            jdbc.update(
                    "update scheduled_tasks set picked = false, picked_by = null, execution_time = ?"
                            + " where task_name = ? and task_instance = ?",
                    Timestamp.from(clock.trueNow()),
                    OperationScheduler.TASK,
                    instance);
            return false;
        }
    }

    /** The operations the execution moves (one, or a wave's members). */
    public static List<UUID> operationsOf(ScheduledExecution<Object> execution) {
        return OperationScheduler.members(
                        execution.getTaskInstance().getId(), (String) execution.getData())
                .stream()
                .map(OperationScheduler.Member::operationId)
                .toList();
    }

    /** Ends the operations whose deadline passed, as the reaper's schedule would. */
    public void reapExpired() {
        reaper.reapExpired();
    }
}
