package io.lethe.engine;

import io.lethe.common.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Hosts, devices and operations written straight into the schema Flyway builds, for JPA tests. */
public final class OperationRows {

    private final JdbcTemplate jdbc;

    public OperationRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public UUID host() {
        UUID id = Ids.newId();
        jdbc.update(
                "insert into hosts (id, name, backend_type, cache_invalidation, created_at, updated_at) "
                        + "values (?, ?, 'simulated-x86', 'supported', current_timestamp, current_timestamp)",
                id,
                "h-" + id);
        return id;
    }

    /** An operation of the host on a device of its own. */
    public UUID operation(UUID hostId, OperationType type, OperationState state, boolean admitted) {
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

    /**
     * Gives the operations table the statistics H2 assumes before its first analysis of a table
     * (every column 50% selective), as in a fresh database's first batch; {@code analyze} restores
     * real ones.
     */
    public void freshStatistics() {
        for (String column :
                jdbc.queryForList(
                        "select column_name from information_schema.columns where table_name = 'operations'",
                        String.class)) {
            jdbc.execute("alter table operations alter column " + column + " selectivity 50");
        }
    }
}
