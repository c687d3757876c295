package io.lethe.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.engine.OperationQueries;
import io.lethe.engine.OperationRows;
import io.lethe.engine.OperationState;
import io.lethe.engine.OperationType;
import io.lethe.engine.WorkflowProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How the embedded database reads a host's erase queue, with its own query plans as the oracle. At
 * a large batch's start all of its operations are queued, then all admitted: a plan led by state or
 * by {@code admitted} reads every one of them each time an operation is admitted. A fresh H2 has no
 * statistics yet and plans as if every column were 50% selective, and keeps the plans of statements
 * it has cached after it analyses the table.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import({EraseAdmission.class, OperationQueries.class})
@EnableConfigurationProperties(WorkflowProperties.class)
class EraseAdmissionPlanJpaTest {

    @Autowired EraseAdmission admission;
    @Autowired OperationQueries queries;
    @Autowired JdbcTemplate jdbc;

    @Test
    void theFleetsAdmittedCountReadsTheActiveOperationsNotTheHistory() {
        OperationRows rows = new OperationRows(jdbc);
        UUID host = rows.host();
        // Operations keep admitted when they end: a long-lived service has a history of them.
        for (int i = 0; i < 300; i++) {
            rows.operation(host, OperationType.SECURE_ERASE, OperationState.SUCCEEDED, true);
        }
        // ANALYZE commits: other tests' rows may be here too.
        long before = queries.admitted(Set.of(OperationType.SECURE_ERASE));
        rows.operation(host, OperationType.SECURE_ERASE, OperationState.RUNNING, true);
        rows.operation(host, OperationType.SECURE_ERASE, OperationState.QUEUED, true);
        rows.operation(host, OperationType.SECURE_ERASE, OperationState.QUEUED, false);
        rows.operation(host, OperationType.UNLOCK_DEVICE, OperationState.RUNNING, true);
        jdbc.execute("analyze");
        jdbc.execute("set query_statistics false");
        jdbc.execute("set query_statistics true");
        try {
            assertThat(queries.admitted(Set.of(OperationType.SECURE_ERASE))).isEqualTo(before + 2);
            List<String> plans =
                    jdbc
                            .queryForList(
                                    "select sql_statement from information_schema.query_statistics"
                                            + " where lower(sql_statement) like '%from operations%'",
                                    String.class)
                            .stream()
                            .map(sql -> jdbc.queryForObject("explain " + sql, String.class))
                            .toList();
            // H2 looks up an index by equalities on its leading columns only: with the states as
            // an IN list it reads every admitted operation there ever was.
            assertThat(plans)
                    .isNotEmpty()
                    .allMatch(
                            plan -> {
                                List<String> lookups =
                                        indexLookups(plan, "ix_operations_admitted_state");
                                return lookups.size() == OperationState.ACTIVE.size()
                                        && lookups.stream()
                                                .allMatch(
                                                        lookup ->
                                                                lookup.contains("admitted = TRUE")
                                                                        && lookup.contains(
                                                                                "state = "));
                            },
                            "looked up by admitted and one state");
        } finally {
            jdbc.execute("set query_statistics false");
        }
    }

    @Test
    void aHostsQueueIsReadThroughTheHostsIndexBeforeAndAfterTheTableIsAnalysed() {
        OperationRows rows = new OperationRows(jdbc);
        UUID host = rows.host();
        UUID otherHost = rows.host();
        for (int i = 0; i < 500; i++) {
            rows.operation(
                    otherHost, OperationType.SECURE_ERASE, OperationState.QUEUED, i % 2 == 0);
        }
        rows.operation(host, OperationType.SECURE_ERASE, OperationState.RUNNING, true);
        UUID waiting =
                rows.operation(host, OperationType.SECURE_ERASE, OperationState.QUEUED, false);
        try {
            rows.freshStatistics();
            assertThat(plansOfAQueueLook(host, waiting))
                    .isNotEmpty()
                    .allMatch(
                            plan -> plan.contains("ix_operations_host_state"), "the host's index");
            jdbc.execute("analyze");
            assertThat(plansOfAQueueLook(host, waiting))
                    .isNotEmpty()
                    .allMatch(
                            plan -> plan.contains("ix_operations_host_state"), "the host's index");
        } finally {
            jdbc.execute("set query_statistics false");
            jdbc.execute("analyze");
        }
    }

    /** The index conditions of each of a plan's lookups in the index. */
    private static List<String> indexLookups(String plan, String index) {
        List<String> lookups = new ArrayList<>();
        for (int start = plan.indexOf(index + ":");
                start >= 0;
                start = plan.indexOf(index + ":", start + 1)) {
            lookups.add(plan.substring(start, plan.indexOf("*/", start)));
        }
        return lookups;
    }

    /** The plans of every statement on the operations table that one look at the queue sent. */
    private List<String> plansOfAQueueLook(UUID host, UUID waiting) {
        // Turning the statistics on starts them afresh.
        jdbc.execute("set query_statistics false");
        jdbc.execute("set query_statistics true");
        EraseAdmission.HostQueue queue = admission.queue(host);
        assertThat(queue.admitted()).isEqualTo(1);
        assertThat(queue.position(waiting)).isEqualTo(1);
        assertThat(queue.anyWaiting()).isTrue();
        List<String> statements =
                jdbc.queryForList(
                        "select sql_statement from information_schema.query_statistics"
                                + " where lower(sql_statement) like '%from operations%'",
                        String.class);
        return statements.stream()
                .map(sql -> jdbc.queryForObject("explain " + sql, String.class))
                .toList();
    }
}
