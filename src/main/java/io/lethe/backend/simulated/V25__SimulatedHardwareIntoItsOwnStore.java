package io.lethe.backend.simulated;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Lethe's migration V25 (a bean Spring Boot hands to Flyway): the simulated machines leave Lethe's
 * database for the {@linkplain SimulatedHardwareStore store of their own}. Their rows are copied
 * and committed there first, then Lethe's tables are dropped in the migration's transaction. A
 * process killed in between runs the migration again: the copy replaces what an earlier attempt
 * copied, so nothing is lost and nothing doubles.
 */
@Component
class V25__SimulatedHardwareIntoItsOwnStore extends BaseJavaMigration {

    private static final int CHUNK = 500;

    /** Copied in this order (the store's foreign keys), dropped in the reverse one. */
    private static final List<String> TABLES =
            List.of("sim_hosts", "sim_devices", "sim_regions", "sim_cache_lines");

    private static final List<String> COLUMNS =
            List.of(
                    "host_id, invalidations, consumed_faults",
                    "device_id, host_id, state",
                    "region_id, host_id, state",
                    "host_id, address, data, dirty");

    private final SimulatedHardwareStore store;

    V25__SimulatedHardwareIntoItsOwnStore(SimulatedHardwareStore store) {
        this.store = store;
    }

    @Override
    public void migrate(Context context) throws Exception {
        JdbcTemplate lethe =
                new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true));
        Integer hosts = lethe.queryForObject("select count(*) from sim_hosts", Integer.class);
        if (hosts != null && hosts > 0) {
            copy(lethe);
        }
        for (int i = TABLES.size() - 1; i >= 0; i--) {
            lethe.execute("drop table " + TABLES.get(i));
        }
    }

    void copy(JdbcTemplate lethe) throws SQLException {
        try (Connection connection = store.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            JdbcTemplate own = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            List<Object[]> copied =
                    lethe.query(
                            "select host_id from sim_hosts",
                            (rs, n) -> new Object[] {rs.getObject(1)});
            // an earlier attempt's copy, replaced
            for (int i = TABLES.size() - 1; i >= 0; i--) {
                own.batchUpdate("delete from " + TABLES.get(i) + " where host_id = ?", copied);
            }
            for (int t = 0; t < TABLES.size(); t++) {
                String columns = COLUMNS.get(t);
                int width = columns.split(",").length;
                String insert =
                        "insert into "
                                + TABLES.get(t)
                                + " ("
                                + columns
                                + ") values (?"
                                + ", ?".repeat(width - 1)
                                + ")";
                List<Object[]> rows = new ArrayList<>();
                lethe.query(
                        "select " + columns + " from " + TABLES.get(t),
                        rs -> {
                            Object[] row = new Object[width];
                            for (int c = 0; c < width; c++) {
                                row[c] = rs.getObject(c + 1);
                            }
                            rows.add(row);
                            if (rows.size() == CHUNK) {
                                own.batchUpdate(insert, rows);
                                rows.clear();
                            }
                        });
                if (!rows.isEmpty()) {
                    own.batchUpdate(insert, rows);
                }
            }
            connection.commit();
        }
    }
}
