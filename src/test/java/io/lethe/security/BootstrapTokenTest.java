package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.LetheApplication;
import io.lethe.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Without LETHE_BOOTSTRAP_TOKEN the first start writes an admin token to an owner-only file and
 * logs only its path.
 */
@ExtendWith(OutputCaptureExtension.class)
class BootstrapTokenTest {

    @TempDir Path data;

    @Test
    void aGeneratedFirstAdminTokenIsWrittenOwnerOnlyAndNeverLogged(CapturedOutput output)
            throws Exception {
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run(
                                "--server.port=0",
                                "--lethe.data-dir=" + data,
                                "--lethe.security.bootstrap-token=")) {
            Path file = data.resolve("bootstrap-token");
            String token = Files.readString(file).trim();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(output.getAll())
                    .contains(file.toAbsolutePath().toString())
                    .doesNotContain(token);
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            assertThat(new Api(port, token).get("/api/v1/tokens").status()).isEqualTo(200);
            assertThat(new Api(port, null).get("/api/v1/tokens").status()).isEqualTo(401);
        }
    }

    @Test
    void aBootstrapTokenShorterThan32CharactersStopsTheStart() {
        Assertions.assertThatThrownBy(
                        () ->
                                new SpringApplicationBuilder(LetheApplication.class)
                                        .run(
                                                "--server.port=0",
                                                "--lethe.data-dir=" + data,
                                                "--lethe.security.bootstrap-token=admin-admin-admin"))
                .hasStackTraceContaining("shorter than 32 characters");
    }

    @Test
    void aChangedBootstrapValueRevokesThePreviousBootstrapToken() throws Exception {
        String database =
                "--spring.datasource.url=jdbc:h2:file:"
                        + data.resolve("db")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH";
        String first = "first-bootstrap-value-0123456789abcdef";
        String second = "second-bootstrap-value-0123456789abcdef";
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run(
                                "--server.port=0",
                                "--lethe.data-dir=" + data,
                                database,
                                "--lethe.security.bootstrap-token=" + first)) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            assertThat(new Api(port, first).get("/api/v1/tokens").status()).isEqualTo(200);
        }
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run(
                                "--server.port=0",
                                "--lethe.data-dir=" + data,
                                database,
                                "--lethe.security.bootstrap-token=" + second)) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            Api admin = new Api(port, second);
            assertThat(admin.get("/api/v1/tokens").status()).isEqualTo(200);
            assertThat(new Api(port, first).get("/api/v1/tokens").status())
                    .as("the previous value is revoked")
                    .isEqualTo(401);
            var tokens = admin.get("/api/v1/tokens").json().get("items");
            assertThat(tokens).filteredOn(t -> !t.has("revokedAt")).hasSize(1);
            String audit = admin.get("/api/v1/audit?limit=1000").body();
            assertThat(audit)
                    .contains("\"action\":\"token-revoked\"")
                    .contains("the bootstrap setting changed");
        }
    }
}
