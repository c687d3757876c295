package io.lethe.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.lethe.audit.AuditLog;
import io.lethe.support.Api;
import io.lethe.support.LetheCli;
import io.lethe.support.TestInventory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The attack of issue 35, item 1, by someone who can write Lethe's database but not read its
 * secrets key file: the chain edited and re-hashed with its head moved, the stored checkpoints and
 * certificates deleted, a retired signing key row of the attacker's own (its sealed private half
 * copied from the genuine row), and a checkpoint and a certificate signed with the attacker's key.
 * The oracles are outside what the attacker reached: the keys pinned in a file (made by openssl),
 * the checkpoints a file sink and an HTTP witness received as they were made, the checkpoints a
 * pipeline saved with the real CLI, and the offline script. Assumption: the attacker cannot write
 * the sink's file, the witness, the pipeline's file or the pin file.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "lethe.audit.checkpoint-interval=PT1H",
            "lethe.audit.sinks.retry-interval=PT1H"
        })
class DatabaseWritersCannotForgeEvidenceTest {

    static final Path DIR = PipelineChecks.temp("lethe-tamper");
    static final Path PINS = DIR.resolve("pins.pem");
    static final Path SINK = DIR.resolve("replica-checkpoints.jsonl");
    static final List<String> WITNESSED = new ArrayList<>();
    static final AtomicInteger WITNESS_REFUSALS = new AtomicInteger(2);
    static final HttpServer WITNESS = witness();

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;
    @Autowired AuditLog audit;
    @Autowired AuditCheckpoints checkpoints;
    @Autowired CheckpointSinks sinks;

    @DynamicPropertySource
    static void outsideTheDatabase(DynamicPropertyRegistry registry) throws Exception {
        PipelineChecks.signWithAPinnedKey(registry, DIR, PINS);
        registry.add("lethe.audit.sinks.file", SINK::toString);
        registry.add(
                "lethe.audit.sinks.witness-url",
                () -> "http://127.0.0.1:" + WITNESS.getAddress().getPort() + "/witness");
    }

    @AfterAll
    static void stopWitness() {
        WITNESS.stop(0);
    }

    @Test
    void aRewriteByTheDatabasesWritersIsCaughtOnlineByTheCliAndOffline() throws Exception {
        Api api = new Api(port);
        LetheCli cli = new LetheCli(port, Files.createDirectories(DIR.resolve("pipeline")));
        String host = TestInventory.simulatedHost(api, "tamper-" + UUID.randomUUID());
        String device = TestInventory.device(api, host, "TMP-" + UUID.randomUUID());
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"sanitize\"}")
                        .id();
        api.awaitEnd(op, Duration.ofSeconds(30));
        audit.seal();
        AuditCheckpoints.Checkpoint first = checkpoints.checkpoint().orElseThrow();

        await("the witness refused the delivery")
                .atMost(Duration.ofSeconds(10))
                .until(() -> WITNESS_REFUSALS.get() == 1);
        JsonNode before = api.get("/api/v1/audit/verification").json();
        assertThat(before.get("intact").asBoolean()).as(before.toString()).isTrue();
        assertThat(before.get("trust").asString()).isEqualTo("pinned");
        JsonNode witness = sink(before, "witness");
        assertThat(witness.get("pending").asInt()).as("the refused checkpoint waits").isEqualTo(1);
        assertThat(witness.get("error").asString()).contains("503");
        assertThat(sink(before, "file").get("checkpoints").asInt()).isEqualTo(1);
        sinks.retry();
        await().atMost(Duration.ofSeconds(10)).until(() -> WITNESS_REFUSALS.get() == 0);
        sinks.retry();
        await("delivered at the second retry")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                sink(api.get("/api/v1/audit/verification").json(), "witness")
                                                .get("pending")
                                                .asInt()
                                        == 0);
        assertThat(WITNESSED).hasSize(1);
        JsonNode delivered = sink(api.get("/api/v1/audit/verification").json(), "witness");
        assertThat(delivered.get("pending").asInt()).isZero();
        assertThat(delivered.get("checkpoints").asInt()).isEqualTo(1);
        assertThat(api.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body())
                .containsPattern(
                        "lethe_audit_checkpoint_sink_failures_total\\{[^}]*sink=\"witness\"[^}]*\\} 2\\.0");

        Path saved = DIR.resolve("pipeline/saved-checkpoints.jsonl");
        assertThat(cli.run("audit", "checkpoints", "--save", saved.toString()).exit()).isZero();
        LetheCli.Run clean = PipelineChecks.verify(cli, saved, PINS);
        assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).contains("intact", "trust: pinned");
        TestInventory.simulatedHost(api, "after-" + UUID.randomUUID());
        audit.seal();

        // ---- the attack: the service's database only ----
        JsonNode genuineCertificate =
                Jws.payload(
                        jdbc.queryForObject(
                                "select jws from certificates where operation_id = ?",
                                String.class,
                                UUID.fromString(op)));
        String newHead = rehashFrom(first.seq() - 2);
        jdbc.update("delete from audit_checkpoints");
        jdbc.update("delete from certificates");
        KeyPair attacker = Ed25519.generate();
        String attackerKid = Ed25519.kid(attacker.getPublic());
        jdbc.update(
                "insert into signing_keys (kid, public_key_pem, private_key_enc, created_at, retired_at)"
                        + " select ?, ?, private_key_enc, ?, ? from signing_keys"
                        + " where retired_at is null",
                attackerKid,
                Ed25519.pem(attacker.getPublic()),
                Timestamp.from(Instant.now().minus(Duration.ofDays(1))),
                Timestamp.from(Instant.now().minus(Duration.ofHours(1))));
        long head = audit.head().seq();
        Map<String, Object> forgedCheckpoint = new LinkedHashMap<>();
        forgedCheckpoint.put("typ", "lethe-audit-checkpoint");
        forgedCheckpoint.put("seq", head);
        forgedCheckpoint.put("hash", newHead);
        forgedCheckpoint.put("at", Instant.now().toString());
        jdbc.update(
                "insert into audit_checkpoints (seq, hash, at, kid, jws) values (?, ?, ?, ?, ?)",
                head,
                newHead,
                Timestamp.from(Instant.now()),
                attackerKid,
                Jws.sign(
                        attackerKid,
                        attacker.getPrivate(),
                        AuditCheckpoints.TYP,
                        forgedCheckpoint));
        ObjectNode claim = (ObjectNode) genuineCertificate;
        claim.put("simulated", false);
        claim.put("jti", UUID.randomUUID().toString());
        jdbc.update(
                "insert into certificates (operation_id, kid, jws, issued_at) values (?, ?, ?, ?)",
                UUID.fromString(op),
                attackerKid,
                Jws.sign(attackerKid, attacker.getPrivate(), CertificateService.TYP, claim),
                Timestamp.from(Instant.now()));

        // ---- what it gained ----
        assertThat(api.get("/api/v1/certificates/signing-key").body())
                .as("a key row Lethe cannot open for itself is not published")
                .doesNotContain(attackerKid);
        JsonNode forged = api.get("/api/v1/audit/verification").json();
        assertThat(forged.get("intact").asBoolean()).as(forged.toString()).isFalse();
        assertThat(forged.get("reason").asString()).isEqualTo("forged-anchor");
        assertThat(checkpoints.checkpoint())
                .as("nothing is signed over a chain that does not extend the sink's checkpoint")
                .isEmpty();
        LetheCli.Run cliForged = PipelineChecks.verify(cli, saved, PINS);
        assertThat(cliForged.exit()).as(cliForged.out() + cliForged.err()).isEqualTo(1);
        assertThat(cliForged.out()).contains("broken");

        // without the forged statements, the rewrite still shows against what left the database
        jdbc.update("delete from audit_checkpoints");
        jdbc.update("delete from certificates");
        JsonNode rewritten = api.get("/api/v1/audit/verification").json();
        assertThat(rewritten.get("intact").asBoolean()).as(rewritten.toString()).isFalse();
        assertThat(rewritten.get("reason").asString()).isEqualTo("rewritten");
        assertThat(rewritten.get("detail").asString()).contains("held by the");
        LetheCli.Run cliRewritten = PipelineChecks.verify(cli, saved, PINS);
        assertThat(cliRewritten.exit()).isEqualTo(1);
        assertThat(cliRewritten.out()).contains("rewritten");

        Path export = PipelineChecks.export(api, DIR);
        Path keys = PipelineChecks.publishedKeys(api, DIR);
        String offline =
                PipelineChecks.offline(
                        export,
                        "--checkpoints",
                        saved.toString(),
                        "--trusted-keys",
                        PINS.toString(),
                        "--keys",
                        keys.toString());
        assertThat(offline).contains("broken", "rewritten");
        String sinkOffline =
                PipelineChecks.offline(
                        export,
                        "--checkpoints",
                        SINK.toString(),
                        "--trusted-keys",
                        PINS.toString());
        assertThat(sinkOffline).as("the sink's file is the same format").contains("rewritten");
    }

    /** Edits the record at {@code seq}, re-hashes every record after it, moves the head. */
    private String rehashFrom(long seq) throws Exception {
        jdbc.update("update audit_records set detail = ? where seq = ?", "nothing happened", seq);
        String previous =
                jdbc.queryForObject(
                        "select hash from audit_records where seq = ?", String.class, seq - 1);
        for (Map<String, Object> row :
                jdbc.queryForList(
                        "select seq from audit_records where seq >= ? order by seq", seq)) {
            long at = ((Number) row.get("seq")).longValue();
            String canonical = canonical(at);
            String hash = sha256(previous + "\n" + canonical);
            jdbc.update(
                    "update audit_records set prev_hash = ?, hash = ? where seq = ?",
                    previous,
                    hash,
                    at);
            previous = hash;
        }
        jdbc.update("update audit_chain_head set hash = ? where id = 1", previous);
        return previous;
    }

    /** The record as the export shows it, which is what the chain hashes (docs/audit.md). */
    private String canonical(long seq) {
        return new Api(port)
                .get("/api/v1/audit/export", Map.of("Accept", "application/x-ndjson"))
                .body()
                .lines()
                .map(Api.JSON::readTree)
                .filter(line -> line.get("seq").asLong() == seq)
                .map(line -> Api.JSON.writeValueAsString(line.get("record")))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode sink(JsonNode verification, String kind) {
        for (JsonNode sink : verification.get("sinks")) {
            if (sink.get("sink").asString().startsWith(kind)) {
                return sink;
            }
        }
        throw new AssertionError("no " + kind + " sink in " + verification);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A witness that refuses its first deliveries, then keeps every checkpoint POSTed to it. */
    private static HttpServer witness() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext(
                    "/witness",
                    exchange -> {
                        byte[] answer = new byte[0];
                        int status = 200;
                        if ("POST".equals(exchange.getRequestMethod())) {
                            String body =
                                    new String(
                                            exchange.getRequestBody().readAllBytes(),
                                            StandardCharsets.UTF_8);
                            if (WITNESS_REFUSALS.getAndDecrement() > 0) {
                                status = 503;
                            } else {
                                synchronized (WITNESSED) {
                                    WITNESSED.add(body);
                                }
                                status = 201;
                            }
                        } else {
                            synchronized (WITNESSED) {
                                answer =
                                        ("{\"items\":[" + String.join(",", WITNESSED) + "]}")
                                                .getBytes(StandardCharsets.UTF_8);
                            }
                        }
                        exchange.sendResponseHeaders(
                                status, answer.length == 0 ? -1 : answer.length);
                        exchange.getResponseBody().write(answer);
                        exchange.close();
                    });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
