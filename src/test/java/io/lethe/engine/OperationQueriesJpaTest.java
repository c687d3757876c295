package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.common.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The erase counts admission decides by, against the schema Flyway builds: what they count, and how
 * the embedded database reads the fleet-wide one (its own query plan is the oracle).
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class OperationQueriesJpaTest {

    static final Set<OperationType> ERASES =
            EnumSet.of(OperationType.SECURE_ERASE, OperationType.DECOMMISSION);

    @Autowired JdbcTemplate jdbc;

    /** The statements OperationQueries sent, with their arguments. */
    final List<Object[]> asked = new ArrayList<>();

    OperationQueries queries;
    UUID host;
    UUID otherHost;

    @BeforeEach
    void setUp() {
        queries =
                new OperationQueries(
                        new JdbcTemplate(jdbc.getDataSource()) {
                            @Override
                            public <T> T queryForObject(String sql, Class<T> type, Object... args) {
                                asked.add(new Object[] {sql, args});
                                return super.queryForObject(sql, type, args);
                            }

                            @Override
                            public void query(String sql, RowCallbackHandler rows, Object... args) {
                                asked.add(new Object[] {sql, args});
                                super.query(sql, rows, args);
                            }
                        });
        host = host();
        otherHost = host();
    }

    @Test
    void theFleetWideCountIsOfAdmittedErasesStillActive() {
        // The database may hold other tests' operations: the fleet-wide count is compared with
        // its value before.
        long before = queries.admitted(ERASES);
        operation(host, OperationType.SECURE_ERASE, OperationState.RUNNING, true);
        operation(otherHost, OperationType.DECOMMISSION, OperationState.QUEUED, true);
        operation(host, OperationType.SECURE_ERASE, OperationState.QUEUED, false);
        operation(host, OperationType.SECURE_ERASE, OperationState.SUCCEEDED, true);
        operation(host, OperationType.UNLOCK_DEVICE, OperationState.RUNNING, true);

        assertThat(queries.admitted(ERASES)).isEqualTo(before + 2);
    }

    @Test
    void aHostsActiveErasesComeInIdOrderWithTheirSlotAndCancel() {
        UUID running = operation(host, OperationType.SECURE_ERASE, OperationState.RUNNING, true);
        UUID waiting = operation(host, OperationType.DECOMMISSION, OperationState.QUEUED, false);
        operation(host, OperationType.SECURE_ERASE, OperationState.SUCCEEDED, true);
        operation(host, OperationType.UNLOCK_DEVICE, OperationState.RUNNING, true);
        operation(otherHost, OperationType.SECURE_ERASE, OperationState.QUEUED, false);
        jdbc.update("update operations set cancel_requested = true where id = ?", waiting);

        assertThat(queries.activeOnHost(host, ERASES))
                .containsExactly(
                        new OperationQueries.Active(running, OperationState.RUNNING, true, false),
                        new OperationQueries.Active(waiting, OperationState.QUEUED, false, true));
    }

    @Test
    void aHostsQueueIsReadThroughTheHostIndexWhateverTheStatisticsSay() {
        // A batch's operations are all queued and then all admitted: a plan led by state or by
        // admitted would read them all for each operation admitted.
        for (int i = 0; i < 500; i++) {
            operation(otherHost, OperationType.SECURE_ERASE, OperationState.QUEUED, i % 2 == 0);
        }
        operation(host, OperationType.SECURE_ERASE, OperationState.QUEUED, false);
        try {
            // H2's statistics of a table it has not analysed yet (a fresh database's first batch)
            for (String column :
                    jdbc.queryForList(
                            "select column_name from information_schema.columns where table_name = 'operations'",
                            String.class)) {
                jdbc.execute("alter table operations alter column " + column + " selectivity 50");
            }
            assertThat(hostQueryPlans()).allMatch(p -> p.contains("ix_operations_host_state"));
            jdbc.execute("analyze");
            assertThat(hostQueryPlans()).allMatch(p -> p.contains("ix_operations_host_state"));
        } finally {
            jdbc.execute("analyze");
        }
    }

    private List<String> hostQueryPlans() {
        asked.clear();
        assertThat(queries.activeOnHost(host, ERASES)).hasSize(1);
        assertThat(asked).hasSize(OperationState.ACTIVE.size());
        return asked.stream()
                .map(q -> jdbc.queryForObject("explain " + q[0], String.class, (Object[]) q[1]))
                .toList();
    }

    @Test
    void theFleetWideCountReadsOnlyOperationsHoldingASlot() {
        // At a large batch's start every operation is queued: a plan led by state would read each
        // of their rows at every wave's admission.
        for (int i = 0; i < 200; i++) {
            operation(host, OperationType.SECURE_ERASE, OperationState.QUEUED, false);
        }
        operation(host, OperationType.SECURE_ERASE, OperationState.RUNNING, true);
        jdbc.execute("analyze");
        queries.admitted(ERASES);

        Object[] count = asked.get(asked.size() - 1);
        String plan = jdbc.queryForObject("explain " + count[0], String.class, (Object[]) count[1]);
        assertThat(plan).contains("ix_operations_admitted_state");
    }

    private UUID host() {
        UUID id = Ids.newId();
        jdbc.update(
                "insert into hosts (id, name, backend_type, cache_invalidation, created_at, updated_at) "
                        + "values (?, ?, 'simulated-x86', 'supported', current_timestamp, current_timestamp)",
                id,
                "h-" + id);
        return id;
    }

    private UUID operation(
            UUID hostId, OperationType type, OperationState state, boolean admitted) {
        UUID device = Ids.newId();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(
                "insert into devices (id, host_id, kind, serial, manufacturer, model, capacity_bytes,"
                        + " security_state, status, created_at, updated_at) values (?, ?, 'cxl-memdev', ?,"
                        + " 'Acme', 'AM-1', 68719476736, 'disabled', 'available', ?, ?)",
                device,
                hostId,
                "S-" + device,
                now,
                now);
        UUID id = Ids.newId();
        jdbc.update(
                "insert into operations (id, type, device_id, host_id, state, actor, status_before,"
                        + " admitted, created_at, updated_at) values (?, ?, ?, ?, ?, 'test', 'available', ?, ?, ?)",
                id,
                type.wire(),
                device,
                hostId,
                state.wire(),
                admitted,
                now,
                now);
        return id;
    }
}
