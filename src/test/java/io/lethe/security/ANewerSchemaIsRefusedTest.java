package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.LetheApplication;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A replica of an older version does not start on a schema a newer version migrated, its own or the
 * simulated hardware store's: the schema's history names a migration it does not have. The oracle
 * is Flyway's own validation of the history table, which a newer version's migration is written
 * into as Flyway writes it.
 */
class ANewerSchemaIsRefusedTest {

    @TempDir Path data;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lethe", "lethe-simulated-hardware"})
    void aSchemaMigratedByANewerVersionStopsTheStartAndNamesItsMigration(String database) {
        String url =
                "jdbc:h2:file:" + data + "/lethe;" + StartupChecks.H2_SETTINGS + ";WRITE_DELAY=0";
        start(url).close();
        // the service's own database, or the simulated hardware's store beside it
        String migrated =
                "jdbc:h2:file:"
                        + data
                        + "/"
                        + database
                        + ";"
                        + StartupChecks.H2_SETTINGS
                        + ";WRITE_DELAY=0";
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(migrated, "sa", ""));
        int rank =
                jdbc.queryForObject(
                        "select max(installed_rank) from flyway_schema_history", Integer.class);
        jdbc.update(
                "insert into flyway_schema_history (installed_rank, version, description, type, script,"
                        + " checksum, installed_by, installed_on, execution_time, success)"
                        + " values (?, '999', 'from a newer version', 'SQL', 'V999__from_a_newer_version.sql',"
                        + " 1, 'sa', ?, 1, true)",
                rank + 1,
                Timestamp.from(Instant.now()));

        assertThatThrownBy(() -> start(url).close())
                .as("the start is refused")
                .hasStackTraceContaining("999");

        jdbc.update("delete from flyway_schema_history where version = '999'");
        try (ConfigurableApplicationContext app = start(url)) {
            assertThat(app.isRunning()).as("the same schema without it starts").isTrue();
        }
    }

    private ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(LetheApplication.class)
                .run(
                        "--server.port=0",
                        "--lethe.data-dir=" + data,
                        "--spring.datasource.url=" + url,
                        "--lethe.secrets.key=" + SealedValuesBoundAtUpgradeTest.KEY);
    }
}
