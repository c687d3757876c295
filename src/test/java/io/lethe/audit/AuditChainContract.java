package io.lethe.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Tampering with audit rows straight in the database: the verification names the first broken
 * record and why. Each test puts the rows back, so the chain is whole again afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AuditChainContract {

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;
    Api api;
    List<Long> seqs;

    @BeforeEach
    void operationWithAudit() {
        api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                "{\"name\": \"audit-"
                                        + UUID.randomUUID()
                                        + "\", \"backend\": {\"type\": \"simulated-x86\"}}")
                        .id();
        String device =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                "{\"serial\": \"A-"
                                        + UUID.randomUUID()
                                        + "\", \"kind\": \"nvdimm\", \"capacityBytes\": 1024}")
                        .id();
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"overwrite\"}")
                        .id();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "succeeded".equals(api.get("/api/v1/operations/" + op).text("state")));
        assertThat(verification().get("intact").asBoolean()).isTrue();
        seqs =
                jdbc.queryForList(
                        "select seq from audit_records where operation_id = ? order by seq",
                        Long.class,
                        UUID.fromString(op));
        assertThat(seqs).hasSizeGreaterThan(5);
        assertThat(verification().get("intact").asBoolean()).as(verification().toString()).isTrue();
    }

    @Autowired AuditLog audit;
    @Autowired PlatformTransactionManager transactions;

    @Test
    void concurrentWritersKeepTheChainWhole() throws Exception {
        var tx = new TransactionTemplate(transactions);
        var pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(
                    pool.submit(
                            () -> {
                                for (int i = 0; i < 50; i++) {
                                    tx.executeWithoutResult(
                                            s ->
                                                    audit.append(
                                                            new AuditEntry(
                                                                    "test",
                                                                    "concurrent",
                                                                    null,
                                                                    null,
                                                                    null,
                                                                    null,
                                                                    null,
                                                                    "x")));
                                    if (i % 10 == 0) {
                                        audit.seal();
                                    }
                                }
                            }));
        }
        for (var f : futures) {
            f.get();
        }
        pool.shutdown();
        JsonNode result = verification();
        assertThat(result.get("intact").asBoolean()).as(result.toString()).isTrue();
        assertThat(
                        jdbc.queryForObject(
                                "select count(*) from audit_records where action = 'concurrent' and seq is not null",
                                Long.class))
                .isGreaterThanOrEqualTo(400);
    }

    @Test
    void aChangedRecordIsNamed() {
        long target = seqs.get(3);
        String detail =
                jdbc.queryForObject(
                        "select detail from audit_records where seq = ?", String.class, target);
        jdbc.update(
                "update audit_records set detail = 'nothing happened here' where seq = ?", target);
        JsonNode broken = verification();
        jdbc.update("update audit_records set detail = ? where seq = ?", detail, target);
        assertThat(broken.get("intact").asBoolean()).isFalse();
        assertThat(broken.get("firstBroken").asLong()).isEqualTo(target);
        assertThat(broken.get("reason").asString()).isEqualTo("changed");
        assertThat(verification().get("intact").asBoolean()).isTrue();
    }

    @Test
    void aDeletedRecordIsNamed() {
        long target = seqs.get(2);
        Map<String, Object> row =
                jdbc.queryForMap("select * from audit_records where seq = ?", target);
        jdbc.update("delete from audit_records where seq = ?", target);
        JsonNode broken = verification();
        List<String> columns = new ArrayList<>(row.keySet());
        jdbc.update(
                "insert into audit_records ("
                        + String.join(", ", columns)
                        + ") values ("
                        + columns.stream().map(c -> "?").collect(Collectors.joining(", "))
                        + ")",
                columns.stream().map(row::get).toArray());
        assertThat(broken.get("intact").asBoolean()).isFalse();
        assertThat(broken.get("firstBroken").asLong()).isEqualTo(target);
        assertThat(broken.get("reason").asString()).isEqualTo("missing");
        assertThat(verification().get("intact").asBoolean()).isTrue();
    }

    @Test
    void reorderedRecordsAreNamed() {
        long first = seqs.get(4);
        long second = seqs.get(5);
        swap(first, second);
        JsonNode broken = verification();
        swap(first, second);
        assertThat(broken.get("intact").asBoolean()).isFalse();
        assertThat(broken.get("firstBroken").asLong()).isEqualTo(first);
        assertThat(broken.get("reason").asString()).isEqualTo("reordered");
        assertThat(verification().get("intact").asBoolean()).isTrue();
    }

    @Test
    void theExportCarriesEveryRecordWithItsHashesAndRecomputes() {
        Response export = api.get("/api/v1/audit/export", Map.of("Accept", "application/x-ndjson"));
        assertThat(export.status()).isEqualTo(200);
        String[] lines = export.body().split("\n");
        assertThat(lines.length).isEqualTo(verification().get("records").asLong());
        String previous = AuditChain.GENESIS;
        for (String line : lines) {
            JsonNode node = Api.JSON.readTree(line);
            assertThat(node.get("prevHash").asString()).isEqualTo(previous);
            assertThat(AuditChain.hash(previous, node.get("record").toString()))
                    .isEqualTo(node.get("hash").asString());
            previous = node.get("hash").asString();
        }
    }

    @Test
    void theDocumentedOfflineCheckAcceptsAnExportAndNamesAChangedLine() throws Exception {
        Response export = api.get("/api/v1/audit/export", Map.of("Accept", "application/x-ndjson"));
        Path file = Files.createTempFile("audit", ".jsonl");
        Files.writeString(file, export.body());
        assertThat(runOfflineCheck(file)).startsWith("intact: ");
        String tampered =
                export.body().replaceFirst("\"actor\":\"lethe\"", "\"actor\":\"mallory\"");
        Files.writeString(file, tampered);
        assertThat(runOfflineCheck(file)).contains("changed");
    }

    private static String runOfflineCheck(Path file) throws Exception {
        Process python =
                new ProcessBuilder("python3", "docs/verify-audit-export.py", file.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        python.waitFor();
        return out;
    }

    private void swap(long a, long b) {
        jdbc.update("update audit_records set seq = -1 where seq = ?", a);
        jdbc.update("update audit_records set seq = ? where seq = ?", a, b);
        jdbc.update("update audit_records set seq = ? where seq = -1", b);
    }

    private JsonNode verification() {
        Response r = api.get("/api/v1/audit/verification");
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }
}
