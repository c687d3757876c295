package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.LetheApplication;
import io.lethe.support.Api;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rotating the key that seals secrets at rest: run with the new key and the old one as previous,
 * re-encrypt, then the old key can go: everything still opens with the new key alone.
 */
class KeyRotationTest {

    static final String OLD_KEY =
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String NEW_KEY =
            Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

    @TempDir Path data;

    @Test
    void reEncryptionMovesEverySecretToTheNewKey() {
        try (ConfigurableApplicationContext app = start("--lethe.secrets.key=" + OLD_KEY)) {
            Api api = api(app);
            assertThat(
                            api.post(
                                            "/api/v1/hosts",
                                            Api.json(
                                                    Map.of(
                                                            "name",
                                                            "agent-1",
                                                            "backend",
                                                            Map.of(
                                                                    "type",
                                                                    "host-agent",
                                                                    "url",
                                                                    "https://10.1.1.1:7443",
                                                                    "token",
                                                                    "agent-token-0123456789"))))
                                    .status())
                    .isEqualTo(201);
            assertThat(api.get("/api/v1/certificates/signing-key").status()).isEqualTo(200);
        }
        try (ConfigurableApplicationContext app =
                start(
                        "--lethe.secrets.key=" + NEW_KEY,
                        "--lethe.secrets.previous-keys=" + OLD_KEY)) {
            Api api = api(app);
            assertThat(
                            api.post("/api/v1/admin/secrets/re-encryption", "")
                                    .json()
                                    .get("resealed")
                                    .asInt())
                    .isGreaterThanOrEqualTo(2);
            assertThat(
                            api.post("/api/v1/admin/secrets/re-encryption", "")
                                    .json()
                                    .get("resealed")
                                    .asInt())
                    .as("idempotent")
                    .isZero();
        }
        try (ConfigurableApplicationContext app = start("--lethe.secrets.key=" + NEW_KEY)) {
            assertThat(api(app).get("/api/v1/certificates/signing-key").status())
                    .as("the signing key opens with the new key")
                    .isEqualTo(200);
            SecretCipher newOnly = new SecretCipher(new SecretsProperties(NEW_KEY, null, null));
            List<Map<String, Object>> tokens =
                    new JdbcTemplate(app.getBean(DataSource.class))
                            .queryForList(
                                    "select id, backend_settings, backend_secret_enc from hosts where backend_secret_enc is not null");
            assertThat(tokens).hasSize(1);
            Map<String, Object> row = tokens.get(0);
            assertThat(
                            newOnly.open(
                                    (String) row.get("backend_secret_enc"),
                                    SealedFor.agentToken(
                                            row.get("id"),
                                            Api.JSON
                                                    .readTree((String) row.get("backend_settings"))
                                                    .get("url")
                                                    .asString())))
                    .isEqualTo("agent-token-0123456789");
        }
    }

    private ConfigurableApplicationContext start(String... keyArgs) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--server.port=0",
                                "--lethe.data-dir=" + data,
                                "--spring.datasource.url=jdbc:h2:file:"
                                        + data
                                        + "/lethe;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"));
        args.addAll(List.of(keyArgs));
        return new SpringApplicationBuilder(LetheApplication.class)
                .run(args.toArray(String[]::new));
    }

    private static Api api(ConfigurableApplicationContext app) {
        return new Api(((WebServerApplicationContext) app).getWebServer().getPort());
    }
}
