package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.security.SealedFor;
import io.lethe.security.SecretCipher;
import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Distinctive passphrases, an agent token and an API token go through registration, unlock (right
 * and wrong), passphrase-erase (with the user's and with the master passphrase) and authenticated
 * requests; then the logs, every response (but the one that hands the API token out), the audit
 * export, the metrics and the stored data (H2 file bytes, or a PostgreSQL dump) are searched for
 * them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
abstract class SecretsNeverLeakContract {

    static final String UNLOCK_PASSPHRASE = "Zq7-unlock-PASS-4411";
    static final String WRONG_PASSPHRASE = "Zq7-wrong-PASS-9932";
    static final String ERASE_PASSPHRASE = "Zq7-erase-PASS-2718";
    static final String MASTER_PASSPHRASE = "Zq7-master-PASS-6180";
    static final String AGENT_TOKEN = "Zq7-agent-TOKEN-5577-abcdef";

    @LocalServerPort int port;

    /** Everything the database keeps, as text. */
    abstract String storedData() throws Exception;

    /**
     * The database's files as bytes on disk, old row versions included (what a stolen disk or
     * backup holds).
     */
    abstract String rawFiles() throws Exception;

    @Autowired SecretCipher cipher;
    @Autowired JdbcTemplate jdbc;

    static Path tempDir() {
        try {
            return Files.createTempDirectory("lethe-secrets");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void noSecretAppearsInLogsResponsesAuditMetricsOrStoredData(CapturedOutput output)
            throws Exception {
        Api admin = new Api(port);
        List<Response> responses = new ArrayList<>();
        Response token =
                admin.post(
                        "/api/v1/tokens",
                        Api.json(
                                Map.of(
                                        "name",
                                        "leak-check-" + port,
                                        "roles",
                                        List.of("operator"))));
        String apiToken = token.text("secret");
        Api api = new Api(port, apiToken);
        responses.add(
                admin.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        "agent-secret",
                                        "backend",
                                        Map.of(
                                                "type",
                                                "host-agent",
                                                "url",
                                                "https://127.0.0.1:7443",
                                                "token",
                                                AGENT_TOKEN)))));
        Response host =
                admin.post(
                        "/api/v1/hosts",
                        "{\"name\": \"sim-secret\", \"backend\": {\"type\": \"simulated-x86\"}}");
        responses.add(host);
        Response locked =
                device(
                        admin,
                        host,
                        "SEC-1",
                        "cxl-memdev",
                        "locked",
                        Map.of("passphrase", UNLOCK_PASSPHRASE));
        Response erasable =
                device(
                        admin,
                        host,
                        "SEC-2",
                        "cxl-memdev",
                        "unlocked",
                        Map.of("passphrase", ERASE_PASSPHRASE));
        Response mastered =
                device(
                        admin,
                        host,
                        "SEC-3",
                        "nvdimm",
                        "locked",
                        Map.of(
                                "passphrase",
                                WRONG_PASSPHRASE,
                                "masterPassphrase",
                                MASTER_PASSPHRASE));
        responses.add(locked);
        responses.add(erasable);
        responses.add(mastered);

        responses.add(
                finish(
                        api,
                        api.post(
                                "/api/v1/devices/" + locked.id() + "/unlock",
                                Api.json(Map.of("passphrase", WRONG_PASSPHRASE))),
                        responses));
        responses.add(
                finish(
                        api,
                        api.post(
                                "/api/v1/devices/" + locked.id() + "/unlock",
                                Api.json(Map.of("passphrase", UNLOCK_PASSPHRASE))),
                        responses));
        responses.add(
                finish(
                        api,
                        api.post(
                                "/api/v1/devices/" + erasable.id() + "/secure-erase",
                                Api.json(
                                        Map.of(
                                                "method",
                                                "passphrase-erase",
                                                "passphrase",
                                                ERASE_PASSPHRASE))),
                        responses));
        responses.add(
                finish(
                        api,
                        api.post(
                                "/api/v1/devices/" + mastered.id() + "/secure-erase",
                                Api.json(
                                        Map.of(
                                                "method",
                                                "passphrase-erase",
                                                "master",
                                                true,
                                                "passphrase",
                                                MASTER_PASSPHRASE))),
                        responses));
        responses.add(
                api.post(
                        "/api/v1/devices/" + erasable.id() + "/unlock",
                        "{\"passphrase\": " + 12 + "}"));
        responses.add(
                api.post(
                        "/api/v1/devices/" + erasable.id() + "/unlock",
                        "{\"passphrase\": \"" + UNLOCK_PASSPHRASE + "\"}"));

        responses.add(admin.get("/api/v1/audit?limit=1000"));
        responses.add(admin.get("/api/v1/audit/export", Map.of("Accept", "application/x-ndjson")));
        responses.add(admin.get("/api/v1/operations?limit=1000"));
        responses.add(admin.get("/api/v1/hosts?limit=1000"));
        responses.add(admin.get("/api/v1/devices?limit=1000"));
        responses.add(admin.get("/api/v1/tokens"));
        responses.add(admin.get("/api/v1/audit/checkpoints?limit=1000"));
        responses.add(admin.get("/api/v1/audit/verification"));
        responses.add(admin.get("/api/v1/regions?limit=1000"));
        responses.add(admin.get("/api/v1/batches?limit=1000"));
        responses.add(
                admin.get(
                        "/api/v1/operations/"
                                + admin.get("/api/v1/operations")
                                        .json()
                                        .get("items")
                                        .get(0)
                                        .get("id")
                                        .asString()
                                + "?wait=PT0.1S"));
        responses.add(admin.get("/actuator/prometheus", Map.of("Accept", "text/plain")));

        assertThat(admin.get("/api/v1/devices/" + locked.id()).text("securityState"))
                .isEqualTo("unlocked");
        assertThat(admin.get("/api/v1/devices/" + erasable.id()).text("securityState"))
                .isEqualTo("disabled");
        assertThat(admin.get("/api/v1/devices/" + mastered.id()).text("securityState"))
                .as("erased with its master passphrase")
                .isEqualTo("disabled");
        String stored = storedData();
        // The attack on the files: every sealed value found in them, old row versions included,
        // opened with the secrets key itself. Ended operations' passphrases must not be among them.
        String raw = rawFiles();
        Matcher sealed =
                Pattern.compile("v[123]:(?:[A-Za-z0-9_-]+:)?[A-Za-z0-9+/]{16,}={0,2}").matcher(raw);
        // Sealed values are bound to their owners, whose ids the attacker reads beside them: each
        // is tried for every owner the database names.
        List<SealedFor> owners = new ArrayList<>();
        jdbc.query(
                "select id, backend_settings from hosts where backend_type = 'host-agent'",
                rs -> {
                    owners.add(
                            SealedFor.agentToken(
                                    rs.getObject(1),
                                    Api.JSON.readTree(rs.getString(2)).get("url").asString()));
                });
        jdbc.query(
                "select id from operations",
                rs -> {
                    owners.add(SealedFor.passphrase(rs.getObject(1)));
                });
        List<String> opened = new ArrayList<>();
        while (sealed.find()) {
            for (SealedFor owner : owners) {
                try {
                    opened.add(cipher.open(sealed.group(), owner));
                } catch (RuntimeException notOneOfOurs) {
                    // another owner's, a fragment, or bytes that only look like one
                }
            }
        }
        assertThat(opened)
                .as("the sealed agent token shows the scan reads what is stored")
                .contains(AGENT_TOKEN);
        assertThat(opened)
                .as("passphrases opened from the files with the secrets key")
                .doesNotContain(
                        UNLOCK_PASSPHRASE, WRONG_PASSPHRASE, ERASE_PASSPHRASE, MASTER_PASSPHRASE);
        assertThat(stored).as("the stored data was read").contains("sim-secret");
        for (String secret :
                List.of(
                        UNLOCK_PASSPHRASE,
                        WRONG_PASSPHRASE,
                        ERASE_PASSPHRASE,
                        MASTER_PASSPHRASE,
                        AGENT_TOKEN,
                        apiToken)) {
            assertThat(output.getAll()).as("logs").doesNotContain(secret);
            responses.forEach(r -> assertThat(r.body()).as("response").doesNotContain(secret));
            assertThat(stored).as("stored data").doesNotContain(secret);
        }
    }

    /** Registers a simulated device with its secrets. */
    private static Response device(
            Api admin,
            Response host,
            String serial,
            String kind,
            String state,
            Map<String, Object> secrets) {
        Map<String, Object> body = new HashMap<>(secrets);
        body.putAll(
                Map.of(
                        "serial",
                        serial,
                        "kind",
                        kind,
                        "capacityBytes",
                        1 << 20,
                        "securityState",
                        state));
        return admin.post("/api/v1/hosts/" + host.id() + "/devices", Api.json(body));
    }

    private static Response finish(Api api, Response started, List<Response> responses) {
        responses.add(started);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        api.awaitEnd(started.id(), Duration.ofSeconds(30));
        return api.get("/api/v1/operations/" + started.id());
    }
}
