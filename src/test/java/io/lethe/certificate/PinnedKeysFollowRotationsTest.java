package io.lethe.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.audit.AuditLog;
import io.lethe.support.Api;
import io.lethe.support.LetheCli;
import io.lethe.support.TestInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Operators pin the first key once; a rotation publishes the new key endorsed by the old one, and
 * the service, the CLI and the offline script accept it through that endorsement (and only through
 * it). The pin file is openssl's output, not Lethe's.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lethe.audit.checkpoint-interval=PT1H")
class PinnedKeysFollowRotationsTest {

    static final Path DIR = PipelineChecks.temp("lethe-pins");
    static final Path PINS = DIR.resolve("pins.pem");

    @LocalServerPort int port;
    @Autowired AuditLog audit;
    @Autowired AuditCheckpoints checkpoints;
    @Autowired JdbcTemplate jdbc;

    @DynamicPropertySource
    static void pinned(DynamicPropertyRegistry registry) throws Exception {
        PipelineChecks.signWithAPinnedKey(registry, DIR, PINS);
    }

    @Test
    void aRotatedKeyIsTrustedThroughTheEndorsementOfThePinnedOne() throws Exception {
        Api api = new Api(port);
        erase(api);
        JsonNode rotated = api.post("/api/v1/certificates/signing-key/rotation", "").json();
        assertThat(rotated.get("endorsement").asString()).isNotBlank();
        erase(api);
        audit.seal();
        AuditCheckpoints.Checkpoint byNewKey = checkpoints.checkpoint().orElseThrow();
        assertThat(byNewKey.kid()).isEqualTo(rotated.get("kid").asString());

        JsonNode verification = api.get("/api/v1/audit/verification").json();
        assertThat(verification.get("intact").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.get("trust").asString()).isEqualTo("pinned");

        Path pipeline = Files.createDirectories(DIR.resolve("pipeline"));
        LetheCli cli = new LetheCli(port, pipeline);
        Path saved = pipeline.resolve("saved.jsonl");
        assertThat(cli.run("audit", "checkpoints", "--save", saved.toString()).exit()).isZero();
        LetheCli.Run verified = PipelineChecks.verify(cli, saved, PINS);
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("1 saved checkpoint(s) passed", "trust: pinned");

        Path export = PipelineChecks.export(api, DIR);
        Path keys = PipelineChecks.publishedKeys(api, DIR);
        assertThat(
                        PipelineChecks.offline(
                                export,
                                "--checkpoints",
                                saved.toString(),
                                "--trusted-keys",
                                PINS.toString(),
                                "--keys",
                                keys.toString()))
                .startsWith("intact: ")
                .contains("trust: pinned");
        assertThat(
                        PipelineChecks.offline(
                                export,
                                "--checkpoints",
                                saved.toString(),
                                "--trusted-keys",
                                PINS.toString()))
                .as("without the endorsements the new key is not trusted")
                .contains("does not verify with a trusted key");

        // records cut off the end, the head moved back and the stored checkpoints deleted
        long keep = byNewKey.seq() - 3;
        jdbc.update("delete from audit_records where seq > ?", keep);
        jdbc.update("delete from audit_checkpoints");
        jdbc.update(
                "update audit_chain_head set seq = ?, hash = (select hash from audit_records where seq = ?)"
                        + " where id = 1",
                keep,
                keep);
        LetheCli.Run cut = PipelineChecks.verify(cli, saved, PINS);
        assertThat(cut.exit()).as(cut.out() + cut.err()).isEqualTo(1);
        assertThat(cut.out()).contains("missing");
    }

    private static void erase(Api api) {
        String host = TestInventory.simulatedHost(api, "pin-" + UUID.randomUUID());
        String device = TestInventory.device(api, host, "PIN-" + UUID.randomUUID());
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"sanitize\"}")
                        .id();
        assertThat(api.awaitEnd(op, Duration.ofSeconds(30)).get("state").asString())
                .isEqualTo("succeeded");
    }
}
