package io.lethe.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.engine.OperationQueries;
import io.lethe.engine.OperationRows;
import io.lethe.engine.OperationState;
import io.lethe.engine.OperationType;
import io.lethe.engine.WorkflowProperties;
import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How PostgreSQL reads a host's erase queue once it has statistics, with the rows it actually read
 * ({@code pg_stat_xact_user_tables}, this transaction's counts) as the oracle. Autovacuum analyses
 * the operations table while the fleet is quiet; then a batch queues thousands of operations, which
 * the statistics do not know about.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import({EraseAdmission.class, OperationQueries.class})
@EnableConfigurationProperties(WorkflowProperties.class)
@RequiresPostgres
class EraseAdmissionPlanPostgresTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry);
    }

    @Autowired EraseAdmission admission;
    @Autowired JdbcTemplate jdbc;

    @Test
    void aHostsQueueReadsTheHostsOperationsNotTheFleetsAfterAnIdleTimeAnalysis() {
        OperationRows rows = new OperationRows(jdbc);
        for (int h = 0; h < 20; h++) {
            UUID ended = rows.host();
            for (int i = 0; i < 50; i++) {
                rows.operation(ended, OperationType.SECURE_ERASE, OperationState.SUCCEEDED, true);
            }
        }
        jdbc.execute("analyze operations");
        UUID busy = rows.host();
        for (int i = 0; i < 400; i++) {
            rows.operation(busy, OperationType.SECURE_ERASE, OperationState.QUEUED, i % 2 == 0);
        }
        UUID host = rows.host();
        rows.operation(host, OperationType.SECURE_ERASE, OperationState.RUNNING, true);
        UUID waiting =
                rows.operation(host, OperationType.SECURE_ERASE, OperationState.QUEUED, false);

        long before = rowsReadFromOperations();
        EraseAdmission.HostQueue queue = admission.queue(host);
        long read = rowsReadFromOperations() - before;

        assertThat(queue.admitted()).isEqualTo(1);
        assertThat(queue.position(waiting)).isEqualTo(1);
        // The host has two operations; through an index led by the state the look reads the
        // other host's 400 queued ones as well.
        assertThat(read).as("rows of operations read for one host's queue").isLessThan(50);
    }

    private long rowsReadFromOperations() {
        Map<String, Object> counts =
                jdbc.queryForMap(
                        "select coalesce(seq_tup_read, 0) as seq, coalesce(idx_tup_fetch, 0) as idx"
                                + " from pg_stat_xact_user_tables where relname = 'operations'"
                                + " and schemaname = current_schema()");
        return ((Number) counts.get("seq")).longValue() + ((Number) counts.get("idx")).longValue();
    }
}
