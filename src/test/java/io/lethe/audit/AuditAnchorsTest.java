package io.lethe.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * The attacks on the audit chain that a hash chain alone cannot see, performed on the database as
 * someone with write access to it would: cutting the newest records off and moving the head back,
 * and editing a record and recomputing every hash after it. Signed checkpoints and certificates
 * anchor the chain, and verification reports both.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lethe.audit.checkpoint-interval=PT1S")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
@ExtendWith(OutputCaptureExtension.class)
class AuditAnchorsTest {

    @LocalServerPort int port;

    @Autowired JdbcTemplate jdbc;

    @Autowired AuditLog audit;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    /** An erase with its certificate, a checkpoint of the chain after it, then more records. */
    private JsonNode erasedWithCertificate() {
        String host = TestInventory.simulatedHost(api, "anchor-" + UUID.randomUUID());
        String device = TestInventory.device(api, host, "ANC-" + UUID.randomUUID());
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"sanitize\"}")
                        .id();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "succeeded".equals(api.get("/api/v1/operations/" + op).text("state")));
        JsonNode certificate = api.get("/api/v1/operations/" + op + "/certificate").json();
        audit.seal();
        long head = audit.head().seq();
        await("a checkpoint of the chain after the erase")
                .atMost(Duration.ofSeconds(10))
                .until(() -> checkpointSeq() >= head);
        api.post(
                "/api/v1/hosts",
                Api.json(
                        Map.of(
                                "name",
                                "after-" + UUID.randomUUID(),
                                "backend",
                                Map.of("type", "simulated-x86"))));
        audit.seal();
        JsonNode verification = api.get("/api/v1/audit/verification").json();
        assertThat(verification.get("intact").asBoolean()).isTrue();
        assertThat(verification.get("trust").asString())
                .as("no key is pinned: Lethe's own keys")
                .isEqualTo("unpinned");
        return certificate;
    }

    private long checkpointSeq() {
        Long seq = jdbc.queryForObject("select max(seq) from audit_checkpoints", Long.class);
        return seq == null ? 0 : seq;
    }

    @Test
    void cuttingTheNewestRecordsOffAndMovingTheHeadBackShows(CapturedOutput output) {
        erasedWithCertificate();
        long anchored = checkpointSeq();
        long keep = anchored - 3;
        String keptHash =
                jdbc.queryForObject(
                        "select hash from audit_records where seq = ?", String.class, keep);
        jdbc.update("delete from audit_records where seq > ?", keep);
        jdbc.update("update audit_chain_head set seq = ?, hash = ? where id = 1", keep, keptHash);

        JsonNode verification = api.get("/api/v1/audit/verification").json();
        assertThat(verification.get("intact").asBoolean()).as(verification.toString()).isFalse();
        assertThat(verification.get("reason").asString()).isEqualTo("missing");
        assertThat(verification.get("detail").asString()).contains("cut off");
        assertThat(output.getAll())
                .as("each checkpoint is one log line")
                .contains("audit checkpoint seq=" + anchored + " hash=");
    }

    @Test
    void rewritingARecordAndEveryHashAfterItShows() {
        erasedWithCertificate();
        long anchored = checkpointSeq();
        long edited = anchored - 4;
        jdbc.update(
                "update audit_records set detail = ? where seq = ?",
                "nothing happened here",
                edited);
        String previous =
                jdbc.queryForObject(
                        "select hash from audit_records where seq = ?", String.class, edited - 1);
        List<AuditVerifier.Row> rows =
                jdbc.query(
                        "select * from audit_records where seq >= ? order by seq",
                        AuditVerifier::row,
                        edited);
        for (AuditVerifier.Row row : rows) {
            String hash = AuditChain.hash(previous, row.canonical());
            jdbc.update(
                    "update audit_records set prev_hash = ?, hash = ? where seq = ?",
                    previous,
                    hash,
                    row.seq());
            previous = hash;
        }
        jdbc.update("update audit_chain_head set hash = ? where id = 1", previous);

        JsonNode verification = api.get("/api/v1/audit/verification").json();
        assertThat(verification.get("intact").asBoolean()).as(verification.toString()).isFalse();
        assertThat(verification.get("reason").asString()).isEqualTo("rewritten");
        assertThat(verification.get("firstBroken").asLong()).isBetween(edited, anchored);
    }

    @Test
    void checkpointsAreSignedServedAndMadeByTheClock() {
        JsonNode certificate = erasedWithCertificate();
        String kid = certificate.get("kid").asString();
        api.post(
                "/api/v1/hosts",
                Api.json(
                        Map.of(
                                "name",
                                "later-" + UUID.randomUUID(),
                                "backend",
                                Map.of("type", "simulated-x86"))));
        audit.seal();
        long head = audit.head().seq();
        await("a checkpoint of the new head within the interval")
                .atMost(Duration.ofSeconds(10))
                .until(() -> checkpointSeq() == head);
        JsonNode items = api.get("/api/v1/audit/checkpoints?limit=1000").json().get("items");
        assertThat(items).isNotEmpty();
        JsonNode last = items.get(items.size() - 1);
        assertThat(last.get("seq").asLong()).isEqualTo(head);
        assertThat(last.get("kid").asString()).isEqualTo(kid);
        String[] parts = last.get("jws").asString().split("\\.");
        JsonNode payload = Api.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(payload.get("seq").asLong()).isEqualTo(head);
        assertThat(payload.get("hash").asString()).isEqualTo(last.get("hash").asString());
        assertThat(api.get("/api/v1/audit/checkpoints?limit=0").status()).isEqualTo(400);
    }

    @Test
    void theOfflineCheckHoldsAnExportAgainstTheSignedCheckpoints() throws Exception {
        erasedWithCertificate();
        Path dir = Files.createTempDirectory("checkpoints");
        Path export =
                Files.writeString(
                        dir.resolve("export.jsonl"),
                        api.get("/api/v1/audit/export", Map.of("Accept", "application/x-ndjson"))
                                .body());
        Path checkpoints =
                Files.writeString(
                        dir.resolve("checkpoints.json"),
                        api.get("/api/v1/audit/checkpoints?limit=1000").body());
        Path keys =
                Files.writeString(
                        dir.resolve("keys.json"),
                        api.get("/api/v1/certificates/signing-key").body());
        assertThat(offline(export, checkpoints, keys))
                .startsWith("intact: ")
                .contains("signed checkpoints passed");

        long anchored = checkpointSeq();
        List<String> lines = Files.readAllLines(export);
        Files.write(export, lines.subList(0, (int) anchored - 2));
        assertThat(offline(export, checkpoints, keys))
                .as("an export cut before a checkpoint")
                .contains("missing");

        String jws =
                api.get("/api/v1/audit/checkpoints?limit=1000")
                        .json()
                        .get("items")
                        .get(0)
                        .get("jws")
                        .asString();
        String[] parts = jws.split("\\.");
        String payload =
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replaceAll(
                                "\"hash\":\"[0-9a-f]+\"", "\"hash\":\"" + "0".repeat(64) + "\"");
        String forged =
                parts[0]
                        + "."
                        + Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                        + "."
                        + parts[2];
        Files.writeString(checkpoints, "{\"items\":[{\"jws\":\"" + forged + "\"}]}");
        assertThat(offline(export, checkpoints, keys)).contains("does not verify");
    }

    private static String offline(Path export, Path checkpoints, Path keys) throws Exception {
        Process python =
                new ProcessBuilder(
                                "python3",
                                "docs/verify-audit-export.py",
                                export.toString(),
                                "--checkpoints",
                                checkpoints.toString(),
                                "--keys",
                                keys.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        python.waitFor();
        return out;
    }
}
