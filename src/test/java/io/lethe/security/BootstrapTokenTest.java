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

    @Test
    void exactlyTheConfiguredBootstrapTokenIsValidAfterEveryStart(CapturedOutput output)
            throws Exception {
        String database =
                "--spring.datasource.url=jdbc:h2:file:"
                        + data.resolve("sequence")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH";
        String a = "value-a-of-the-bootstrap-token-0123456789";
        String b = "value-b-of-the-bootstrap-token-0123456789";
        Path file = data.resolve("bootstrap-token");
        String generated;
        try (var app = start(database, "")) {
            generated = Files.readString(file).strip();
            assertThat(status(app, generated)).isEqualTo(200);
        }
        try (var app = start(database, a)) {
            assertThat(status(app, a)).isEqualTo(200);
            assertThat(status(app, generated)).as("the generated token is revoked").isEqualTo(401);
            assertThat(file).as("and its file goes with it").doesNotExist();
        }
        try (var app = start(database, b)) {
            assertThat(status(app, b)).isEqualTo(200);
            assertThat(status(app, a)).isEqualTo(401);
        }
        try (var app = start(database, a)) {
            assertThat(status(app, a)).as("A named again is valid again").isEqualTo(200);
            assertThat(status(app, b)).as("B is not the setting any more").isEqualTo(401);
            assertThat(new Api(port(app), a).get("/api/v1/audit?limit=1000").body())
                    .contains("token-reinstated");
        }
        try (var app = start(database, "")) {
            assertThat(status(app, a)).as("removing the variable ends its token").isEqualTo(401);
            String regenerated = Files.readString(file).strip();
            assertThat(status(app, regenerated))
                    .as("no admin was left: one is generated into the file")
                    .isEqualTo(200);
            assertThat(output.getAll())
                    .as("no bootstrap secret reaches the log")
                    .doesNotContain(a, b, generated, regenerated);
        }
    }

    @Test
    void aLongBootstrapValueOfFewCharactersStopsTheStart() {
        Assertions.assertThatThrownBy(
                        () ->
                                new SpringApplicationBuilder(LetheApplication.class)
                                        .run(
                                                "--server.port=0",
                                                "--lethe.data-dir=" + data,
                                                "--lethe.security.bootstrap-token="
                                                        + "A".repeat(40)))
                .hasStackTraceContaining("fewer than 8 different characters");
    }

    private ConfigurableApplicationContext start(String database, String bootstrap) {
        return new SpringApplicationBuilder(LetheApplication.class)
                .run(
                        "--server.port=0",
                        "--lethe.data-dir=" + data,
                        database,
                        "--lethe.security.bootstrap-token=" + bootstrap);
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    private static int status(ConfigurableApplicationContext app, String token) {
        return new Api(port(app), token).get("/api/v1/tokens").status();
    }
}
