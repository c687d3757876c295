package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
    OperationRows rows;
    UUID host;
    UUID otherHost;

    @BeforeEach
    void setUp() {
        rows = new OperationRows(jdbc);
        queries =
                new OperationQueries(
                        new JdbcTemplate(jdbc.getDataSource()) {
                            @Override
                            public <T> T queryForObject(String sql, Class<T> type, Object... args) {
                                asked.add(new Object[] {sql, args});
                                return super.queryForObject(sql, type, args);
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
        return rows.host();
    }

    private UUID operation(
            UUID hostId, OperationType type, OperationState state, boolean admitted) {
        return rows.operation(hostId, type, state, admitted);
    }
}
