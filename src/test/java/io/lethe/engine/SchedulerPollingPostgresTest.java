package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.TaskRepository;
import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import java.lang.reflect.Field;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How many due executions one poll of a PostgreSQL replica locks, counted in the database. The
 * scheduler is the one the application builds with its {@code postgres} profile (lock-and-fetch);
 * the table's statistics are those of a quiet fleet after a busy day, the state in which
 * PostgreSQL's plan for db-scheduler's single-statement poll runs its limited subquery once per
 * row.
 */
@SpringBootTest
@ActiveProfiles("postgres")
@DirtiesContext
@RequiresPostgres
class SchedulerPollingPostgresTest {

    private static final int DUE = 300;
    private static final int LIMIT = 8;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry);
    }

    @Autowired Scheduler scheduler;
    @Autowired JdbcTemplate jdbc;

    @Test
    void aPollLocksNoMoreDueExecutionsThanItAsksForAfterAnIdleTimeAnalysis() throws Exception {
        // this replica's own polling stays out of the count; the poll below is its repository's
        scheduler.stop();
        jdbc.execute("alter table scheduled_tasks set (autovacuum_enabled = false)");
        jdbc.update(
                "insert into scheduled_tasks (task_name, task_instance, execution_time, picked,"
                        + " version, priority) select 'busy-day', 'd-' || g, now(), false, 1, 0"
                        + " from generate_series(1, 100000) g");
        jdbc.update("delete from scheduled_tasks where task_name = 'busy-day'");
        jdbc.execute("analyze scheduled_tasks");
        // a batch's first executions fall due, oldest first in key order too
        jdbc.update(
                "insert into scheduled_tasks (task_name, task_instance, execution_time, picked,"
                        + " version, priority) select ?, 'probe-' || lpad(g::text, 4, '0'),"
                        + " now() - interval '1 hour' + g * interval '1 second', false, 1, ?"
                        + " from generate_series(1, ?) g",
                OperationScheduler.TASK,
                OperationScheduler.BATCH_PRIORITY,
                DUE);

        repository().lockAndGetDue(Instant.now(), LIMIT);

        Integer picked =
                jdbc.queryForObject(
                        "select count(*) from scheduled_tasks where picked"
                                + " and task_instance like 'probe-%'",
                        Integer.class);
        assertThat(picked)
                .as("executions locked by one poll asking for %d", LIMIT)
                .isEqualTo(LIMIT);
    }

    /**
     * The scheduler's own repository, built with the application's customizations; db-scheduler
     * exposes it to no one, hence the reflection.
     */
    private TaskRepository repository() throws ReflectiveOperationException {
        Field field = Scheduler.class.getDeclaredField("schedulerTaskRepository");
        field.setAccessible(true);
        return (TaskRepository) field.get(scheduler);
    }
}
