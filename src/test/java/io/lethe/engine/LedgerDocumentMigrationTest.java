package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An operation in flight across the upgrade that moved its steps' records out of the aggregate's
 * columns (V24) resumes where it stopped: what its steps recorded reads back the same from the
 * document, and its waiting invalidation compares the same host order number. The oracle is the
 * rows written under the schema of V23 with plain SQL, not the engine's code.
 */
class LedgerDocumentMigrationTest {

    @Test
    void anEmbeddedDatabaseKeepsWhatTheStepsRecorded() {
        upgradeKeepsTheLedger(
                new DriverManagerDataSource(
                        "jdbc:h2:mem:ledger-"
                                + UUID.randomUUID()
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                        "sa",
                        ""),
                null);
    }

    @Nested
    @RequiresPostgres
    class OnPostgres {
        @Test
        void aPostgresDatabaseKeepsWhatTheStepsRecorded() {
            String schema = PostgresTestDatabase.newSchema();
            String separator = PostgresTestDatabase.URL.contains("?") ? "&" : "?";
            upgradeKeepsTheLedger(
                    new DriverManagerDataSource(
                            PostgresTestDatabase.URL + separator + "currentSchema=" + schema,
                            PostgresTestDatabase.USER,
                            PostgresTestDatabase.PASSWORD),
                    schema);
        }
    }

    private static void upgradeKeepsTheLedger(DataSource source, String schema) {
        migrate(source, schema, "23");
        JdbcTemplate jdbc = new JdbcTemplate(source);
        OperationRows rows = new OperationRows(jdbc);
        UUID host = rows.host();
        UUID waiting =
                rows.operation(host, OperationType.SECURE_ERASE, OperationState.RUNNING, true);
        UUID verified =
                rows.operation(host, OperationType.SECURE_ERASE, OperationState.RUNNING, true);
        UUID untouched =
                rows.operation(host, OperationType.SECURE_ERASE, OperationState.QUEUED, true);
        UUID leader =
                rows.operation(host, OperationType.SECURE_ERASE, OperationState.RUNNING, true);
        Instant changedAt = Instant.parse("2026-12-06T10:15:30.123456Z");
        Instant invalidatedAt = changedAt.plus(2, ChronoUnit.SECONDS);
        jdbc.update(
                "update operations set media_change_seq = 41, media_changed_at = ? where id = ?",
                Timestamp.from(changedAt),
                waiting);
        jdbc.update(
                "update operations set media_change_seq = 7, media_changed_at = ?,"
                        + " invalidation_seq = 9, invalidation_started_at = ?,"
                        + " verify_evidence = 'read-back: zeroes \"all\" lines' where id = ?",
                Timestamp.from(changedAt),
                Timestamp.from(invalidatedAt),
                verified);
        jdbc.update(
                "insert into operation_steps (operation_id, position, name, state, attempts)"
                        + " values (?, 0, 'invalidate-cache', 'running', 1)",
                waiting);

        migrate(source, schema, "latest");

        LedgerDocument documents = new LedgerDocument();
        assertThat(documents.convertToEntityAttribute(ledger(jdbc, waiting)))
                .isEqualTo(new Ledger(41L, changedAt, null, null, null));
        assertThat(documents.convertToEntityAttribute(ledger(jdbc, verified)))
                .isEqualTo(
                        new Ledger(
                                7L,
                                changedAt,
                                9L,
                                invalidatedAt,
                                "read-back: zeroes \"all\" lines"));
        assertThat(ledger(jdbc, untouched)).isNull();
        assertThat(documents.convertToEntityAttribute(ledger(jdbc, untouched)))
                .isEqualTo(Ledger.EMPTY);
        assertThat(
                        jdbc.queryForObject(
                                "select count(*) from information_schema.columns where table_name = 'operations'"
                                        + " and column_name in ('media_change_seq', 'invalidation_seq', 'verify_evidence')"
                                        + (schema == null
                                                ? ""
                                                : " and table_schema = '" + schema + "'"),
                                Long.class))
                .isZero();
        // The invalidation the waiting operation needs must be numbered after its change (41).
        OperationQueries queries = new OperationQueries(jdbc);
        assertThat(queries.runningAt(host, leader, StepName.INVALIDATE_CACHE, 42))
                .containsExactly(waiting);
        assertThat(queries.runningAt(host, leader, StepName.INVALIDATE_CACHE, 41)).isEmpty();
    }

    private static String ledger(JdbcTemplate jdbc, UUID operation) {
        return jdbc.queryForObject(
                "select ledger from operations where id = ?", String.class, operation);
    }

    private static void migrate(DataSource source, String schema, String target) {
        var flyway = Flyway.configure().dataSource(source).locations("classpath:db/migration");
        if (schema != null) {
            flyway.schemas(schema).defaultSchema(schema);
        }
        flyway.target(target).load().migrate();
    }
}
