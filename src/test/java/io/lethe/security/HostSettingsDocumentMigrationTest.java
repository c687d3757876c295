package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.LetheApplication;
import io.lethe.support.Api;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Hosts registered before their backends kept their own settings document (V26) show the same
 * settings after the upgrade, and an agent host's token still opens for the host and its URL only.
 * The oracle is the rows written under the schema of V19 (the last before the service's own
 * migrations) with plain SQL, and the service's own answers about them, not the migration's code.
 */
class HostSettingsDocumentMigrationTest {

    static final String KEY = SealedValuesBoundAtUpgradeTest.KEY;

    @TempDir Path data;

    @Test
    void hostsRegisteredBeforeShowTheSameSettingsAndTheTokenOpensForItsUrlOnly() {
        String url =
                "jdbc:h2:file:"
                        + data
                        + "/lethe;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
        DriverManagerDataSource source = new DriverManagerDataSource(url, "sa", "");
        Flyway.configure()
                .dataSource(source)
                .locations("classpath:db/migration")
                .target("19")
                .load()
                .migrate();
        JdbcTemplate jdbc = new JdbcTemplate(source);
        SecretCipher cipher = new SecretCipher(new SecretsProperties(KEY, null, null));
        UUID simulated = UUID.randomUUID();
        UUID agent = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(
                "insert into hosts (id, name, backend_type, virtualized, latencies, faults,"
                        + " cache_invalidation, created_at, updated_at)"
                        + " values (?, 'sim', 'simulated-x86', true, ?, ?, 'unsupported', ?, ?)",
                simulated,
                "{\"erase\":\"PT0.5S\"}",
                "{\"verify\":\"fail-once\"}",
                now,
                now);
        String agentUrl = "https://r7-n12.example:7443";
        jdbc.update(
                "insert into hosts (id, name, backend_type, agent_url, agent_token_enc,"
                        + " cache_invalidation, created_at, updated_at)"
                        + " values (?, 'agent', 'host-agent', ?, ?, 'supported', ?, ?)",
                agent,
                agentUrl,
                cipher.seal("token-of-the-agent-0123456789", SealedFor.agentToken(agent, agentUrl)),
                now,
                now);

        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run(
                                "--server.port=0",
                                "--lethe.data-dir=" + data,
                                "--spring.datasource.url=" + url,
                                "--lethe.secrets.key=" + KEY)) {
            Api api = new Api(((WebServerApplicationContext) app).getWebServer().getPort());
            JsonNode sim = api.get("/api/v1/hosts/" + simulated).json();
            assertThat(sim.at("/backend/type").asString()).isEqualTo("simulated-x86");
            assertThat(sim.at("/backend/virtualized").asBoolean()).isTrue();
            assertThat(sim.at("/backend/latencies/erase").asString()).isEqualTo("PT0.5S");
            assertThat(sim.at("/backend/faults/verify").asString()).isEqualTo("fail-once");
            assertThat(sim.at("/backend").has("url")).isFalse();
            assertThat(sim.at("/capabilities/cacheInvalidation").asString())
                    .isEqualTo("unsupported");

            JsonNode shown = api.get("/api/v1/hosts/" + agent).json();
            assertThat(shown.at("/backend/type").asString()).isEqualTo("host-agent");
            assertThat(shown.at("/backend/url").asString()).isEqualTo(agentUrl);
            assertThat(shown.at("/backend/tokenSet").asBoolean()).isTrue();
            assertThat(shown.at("/backend").has("virtualized")).isFalse();
            assertThat(shown.toString()).doesNotContain("token-of-the-agent");

            JdbcTemplate upgraded = new JdbcTemplate(app.getBean(javax.sql.DataSource.class));
            String sealed =
                    upgraded.queryForObject(
                            "select backend_secret_enc from hosts where id = ?",
                            String.class,
                            agent);
            assertThat(cipher.open(sealed, SealedFor.agentToken(agent, agentUrl)))
                    .isEqualTo("token-of-the-agent-0123456789");
            assertThat(
                            upgraded.queryForObject(
                                    "select count(*) from information_schema.columns where table_name = 'hosts'"
                                            + " and column_name in ('virtualized', 'latencies', 'faults', 'agent_url', 'agent_token_enc')",
                                    Long.class))
                    .isZero();
        }
    }
}
