package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Distinctive passphrases and an agent token go through registration, unlock (right and wrong) and
 * passphrase-erase; then the logs, every response, the audit, the metrics and the bytes of the
 * database files are searched for them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverLeakTest {

    static final Path DATA = tempDir();
    static final String UNLOCK_PASSPHRASE = "Zq7-unlock-PASS-4411";
    static final String WRONG_PASSPHRASE = "Zq7-wrong-PASS-9932";
    static final String ERASE_PASSPHRASE = "Zq7-erase-PASS-2718";
    static final String AGENT_TOKEN = "Zq7-agent-TOKEN-5577-abcdef";
    static final List<String> SECRETS = List.of(UNLOCK_PASSPHRASE, WRONG_PASSPHRASE, ERASE_PASSPHRASE, AGENT_TOKEN);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void fileDatabase(DynamicPropertyRegistry registry) {
        registry.add("lethe.data-dir", DATA::toString);
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + DATA
                + "/lethe;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
    }

    @Test
    void noSecretAppearsInLogsResponsesAuditMetricsOrDatabaseFiles(CapturedOutput output) throws IOException {
        Api api = new Api(port);
        List<Response> responses = new ArrayList<>();
        responses.add(api.post("/api/v1/hosts", Api.json(Map.of("name", "agent-secret", "backend",
                Map.of("type", "host-agent", "url", "https://127.0.0.1:7443", "token", AGENT_TOKEN)))));
        Response host = api.post("/api/v1/hosts", "{\"name\": \"sim-secret\", \"backend\": {\"type\": \"simulated-x86\"}}");
        responses.add(host);
        Response locked = api.post("/api/v1/hosts/" + host.id() + "/devices", Api.json(Map.of("serial", "SEC-1",
                "kind", "cxl-memdev", "capacityBytes", 1 << 20, "securityState", "locked", "passphrase", UNLOCK_PASSPHRASE)));
        Response erasable = api.post("/api/v1/hosts/" + host.id() + "/devices", Api.json(Map.of("serial", "SEC-2",
                "kind", "cxl-memdev", "capacityBytes", 1 << 20, "securityState", "unlocked", "passphrase", ERASE_PASSPHRASE)));
        responses.add(locked);
        responses.add(erasable);

        responses.add(finish(api, api.post("/api/v1/devices/" + locked.id() + "/unlock",
                Api.json(Map.of("passphrase", WRONG_PASSPHRASE))), responses));
        responses.add(finish(api, api.post("/api/v1/devices/" + locked.id() + "/unlock",
                Api.json(Map.of("passphrase", UNLOCK_PASSPHRASE))), responses));
        responses.add(finish(api, api.post("/api/v1/devices/" + erasable.id() + "/secure-erase",
                Api.json(Map.of("method", "passphrase-erase", "passphrase", ERASE_PASSPHRASE))), responses));
        responses.add(api.post("/api/v1/devices/" + erasable.id() + "/unlock", "{\"passphrase\": " + 12 + "}"));

        responses.add(api.get("/api/v1/audit?limit=1000"));
        responses.add(api.get("/api/v1/operations?limit=1000"));
        responses.add(api.get("/api/v1/hosts?limit=1000"));
        responses.add(api.get("/api/v1/devices?limit=1000"));
        responses.add(api.get("/actuator/prometheus", Map.of("Accept", "text/plain")));

        assertThat(api.get("/api/v1/devices/" + locked.id()).text("securityState")).isEqualTo("unlocked");
        assertThat(api.get("/api/v1/devices/" + erasable.id()).text("securityState")).isEqualTo("disabled");
        for (String secret : SECRETS) {
            assertThat(output.getAll()).as("logs").doesNotContain(secret);
            responses.forEach(r -> assertThat(r.body()).as("response").doesNotContain(secret));
            try (Stream<Path> files = Files.walk(DATA)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(bytes).as("database file " + file.getFileName()).doesNotContain(secret);
                }
            }
        }
    }

    private static Response finish(Api api, Response started, List<Response> responses) {
        responses.add(started);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("succeeded", "failed")
                .contains(api.get("/api/v1/operations/" + started.id()).text("state")));
        return api.get("/api/v1/operations/" + started.id());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("lethe-secrets");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
