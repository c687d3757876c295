package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.LetheApplication;
import io.lethe.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the service checks before it takes requests, each shown by a start that it stops or lets
 * through.
 */
class StartupChecksTest {

    @TempDir Path data;

    private static final String KEY_A =
            Base64.getEncoder().encodeToString("key-a-key-a-key-a-key-a-key-a-32".getBytes());
    private static final String KEY_B =
            Base64.getEncoder().encodeToString("key-b-key-b-key-b-key-b-key-b-32".getBytes());

    private String h2() {
        return "--spring.datasource.url=jdbc:h2:file:"
                + data.resolve("lethe")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH";
    }

    @Test
    void theDataDirectoryIsOwnerOnly() throws Exception {
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run("--server.port=0", "--lethe.data-dir=" + data, h2())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                    .isEqualTo("rwx------");
            try (Stream<Path> files = Files.list(data)) {
                assertThat(files.filter(Files::isRegularFile).toList())
                        .isNotEmpty()
                        .allSatisfy(
                                f ->
                                        assertThat(
                                                        PosixFilePermissions.toString(
                                                                Files.getPosixFilePermissions(f)))
                                                .as(f.toString())
                                                .isEqualTo("rw-------"));
            }
        }
    }

    @Test
    void sealedValuesNoConfiguredKeyOpensStopTheStart() {
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run(
                                "--server.port=0",
                                "--lethe.data-dir=" + data,
                                h2(),
                                "--lethe.secrets.key=" + KEY_A)) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            assertThat(
                            new Api(port)
                                    .post(
                                            "/api/v1/hosts",
                                            Api.json(
                                                    Map.of(
                                                            "name",
                                                            "sealed",
                                                            "backend",
                                                            Map.of(
                                                                    "type",
                                                                    "host-agent",
                                                                    "url",
                                                                    "https://10.0.0.9:7443",
                                                                    "token",
                                                                    "an-agent-token-0123456789"))))
                                    .status())
                    .isEqualTo(201);
        }
        assertThatThrownBy(
                        () ->
                                new SpringApplicationBuilder(LetheApplication.class)
                                        .run(
                                                "--server.port=0",
                                                "--lethe.data-dir=" + data,
                                                h2(),
                                                "--lethe.secrets.key=" + KEY_B))
                .hasStackTraceContaining("cannot be opened with the configured secrets key");
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run(
                                "--server.port=0",
                                "--lethe.data-dir=" + data,
                                h2(),
                                "--lethe.secrets.key=" + KEY_B,
                                "--lethe.secrets.previous-keys=" + KEY_A)) {
            assertThat(app.isActive())
                    .as("with the old key among the previous ones it starts")
                    .isTrue();
        }
    }

    @Test
    void aRemoteH2ServerNeedsTheKeyFromOutsideLikeAnyOtherDatabase() throws Exception {
        org.h2.tools.Server server =
                org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        try {
            assertThatThrownBy(
                            () ->
                                    new SpringApplicationBuilder(LetheApplication.class)
                                            .run(
                                                    "--server.port=0",
                                                    "--lethe.data-dir=" + data,
                                                    "--spring.datasource.url=jdbc:h2:tcp://127.0.0.1:"
                                                            + server.getPort()
                                                            + "/mem:remote;"
                                                            + StartupChecks.H2_SETTINGS))
                    .hasStackTraceContaining("not an embedded H2")
                    .hasStackTraceContaining("Give the key from outside");
        } finally {
            server.stop();
        }
        assertThat(StartupChecks.embeddedH2("jdbc:h2:ssl://db.example/x")).isFalse();
        assertThat(StartupChecks.embeddedH2("jdbc:h2:file:./data/lethe")).isTrue();
        assertThat(StartupChecks.embeddedH2("jdbc:h2:mem:x")).isTrue();
    }

    @Test
    void anH2UrlWithoutTheSettingsLetheNeedsStopsTheStart() {
        assertThatThrownBy(
                        () ->
                                new SpringApplicationBuilder(LetheApplication.class)
                                        .run(
                                                "--server.port=0",
                                                "--lethe.data-dir=" + data,
                                                "--spring.datasource.url=jdbc:h2:file:"
                                                        + data.resolve("plain")))
                .hasStackTraceContaining(
                        "The H2 URL lacks MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    }
}
