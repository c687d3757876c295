package io.lethe;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded default is a file database: what was registered is still there after a restart. */
class RestartKeepsDataTest {

    @TempDir Path dataDir;

    @Test
    void inventorySurvivesARestartOfTheService() {
        String hostId;
        String deviceId;
        try (ConfigurableApplicationContext first = start()) {
            Api api = new Api(port(first));
            hostId =
                    api.post(
                                    "/api/v1/hosts",
                                    "{\"name\": \"persist-1\", \"backend\": {\"type\": \"simulated-x86\"}}")
                            .id();
            deviceId =
                    api.post(
                                    "/api/v1/hosts/" + hostId + "/devices",
                                    "{\"serial\": \"P-1\", \"kind\": \"nvdimm\", \"capacityBytes\": 1024}")
                            .id();
        }
        try (ConfigurableApplicationContext second = start()) {
            Api api = new Api(port(second));
            Response host = api.get("/api/v1/hosts/" + hostId);
            assertThat(host.status()).isEqualTo(200);
            assertThat(host.text("name")).isEqualTo("persist-1");
            assertThat(api.get("/api/v1/devices/" + deviceId).text("serial")).isEqualTo("P-1");
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(LetheApplication.class)
                .run(
                        "--server.port=0",
                        "--lethe.data-dir=" + dataDir,
                        // the main configuration's default, which the test configuration replaces
                        // with memory
                        "--spring.datasource.url=jdbc:h2:file:"
                                + dataDir
                                + "/lethe;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
