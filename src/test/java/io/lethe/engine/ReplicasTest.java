package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.AdmissionOrder;
import io.lethe.support.Api;
import io.lethe.support.OperationJson;
import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.Replica;
import io.lethe.support.RequiresPostgres;
import io.lethe.support.TestInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Three replicas as child JVMs on one PostgreSQL schema: erase limits hold across them, a replica
 * stopped with SIGTERM hands its running step back, and replicas killed with SIGKILL at random
 * moments lose nothing: every operation ends right, no step runs on two replicas at once, the
 * region invariant holds, every audit is whole and in order, no device stays busy.
 */
@RequiresPostgres
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasTest {

    /** Dead-execution detection takes missed-heartbeats-limit x heartbeat-interval = 8 s here. */
    private static final Duration DEAD_AFTER = Duration.ofSeconds(8);

    private static final Pattern RUN_START =
            Pattern.compile("run-start (\\S+) (\\S+) (\\d+) (\\d+)");
    private static final Pattern RUN_END = Pattern.compile("run-end (\\S+) (\\d+)");

    @TempDir static Path data;
    static String schema;
    static final List<Replica> replicas = new ArrayList<>();

    /** When each killed incarnation's log stopped for good. */
    static final Map<Path, Long> killedAt = new HashMap<>();

    @BeforeAll
    static void startReplicas() throws Exception {
        schema = PostgresTestDatabase.newSchema();
        List<String> arguments = new ArrayList<>(Replica.postgres(schema));
        // the secrets key comes with Replica.postgres: on PostgreSQL it must be given from outside
        arguments.addAll(
                List.of(
                        "--lethe.data-dir=" + data,
                        "--db-scheduler.heartbeat-interval=1s",
                        "--db-scheduler.missed-heartbeats-limit=8",
                        "--db-scheduler.polling-interval=100ms",
                        "--db-scheduler.shutdown-max-wait=10s",
                        "--lethe.workflow.max-erases-per-host=2",
                        "--lethe.workflow.step-timeout=PT20S",
                        "--lethe.workflow.shutdown-grace=PT1S",
                        "--lethe.workflow.erase-poll-interval=PT0.2S",
                        "--lethe.workflow.coalescing-window=PT5S",
                        // A step of a wave at one host holds the simulated machine's own
                        // connection (its session) while it reads Lethe's database on another.
                        // With no more connections than the 8 scheduler threads, 8 such steps at
                        // once could starve the pool for the step timeout, and starved heartbeats
                        // had another replica revive their executions (seen before the claim
                        // protocol, when region steps held two). Twice the threads plus one keeps
                        // one step able to finish.
                        "--spring.datasource.hikari.maximum-pool-size=17",
                        "--spring.datasource.hikari.minimum-idle=2",
                        "--logging.level.io.lethe.engine.StepRuns=debug",
                        // a passphrase lives only in the memory of the replica that took the
                        // request: others ask it again until this is over, and an unlock whose
                        // holder was killed then fails safely
                        "--lethe.workflow.passphrase-handoff=PT30S"));
        for (String name : List.of("r1", "r2", "r3")) {
            replicas.add(new Replica(name, arguments));
        }
        // The first start creates the schema, the bootstrap token and the signing key; then the
        // others.
        replicas.get(0).start();
        CompletableFuture.allOf(
                        CompletableFuture.runAsync(replicas.get(1)::start),
                        CompletableFuture.runAsync(replicas.get(2)::start))
                .get();
    }

    @AfterAll
    static void stopReplicas() {
        replicas.stream().filter(Replica::alive).forEach(Replica::kill);
    }

    @Test
    @Order(1)
    void eraseLimitsHoldWhileThreeReplicasCompete() {
        Api api = replicas.get(0).api();
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "limits",
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("erase", "PT1S")))))
                        .id();
        List<String> ops = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String device = TestInventory.device(api, host, "LIM-" + i);
            ops.add(
                    replicas.get(i % 3)
                            .api()
                            .post(
                                    "/api/v1/devices/" + device + "/secure-erase",
                                    "{\"method\": \"sanitize\"}")
                            .id());
        }
        int[] maxPosition = {0};
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            for (String op : ops) {
                                JsonNode view =
                                        replicas.get(1)
                                                .api()
                                                .get("/api/v1/operations/" + op)
                                                .json();
                                maxPosition[0] =
                                        Math.max(
                                                maxPosition[0],
                                                view.path("queuePosition").asInt(0));
                            }
                            return ops.stream()
                                    .allMatch(
                                            op ->
                                                    "succeeded"
                                                            .equals(
                                                                    api.get(
                                                                                    "/api/v1/operations/"
                                                                                            + op)
                                                                            .text("state")));
                        });

        // An operation holds its slot from admission (its precheck starts in that transaction) to
        // its end.
        List<Instant[]> held = new ArrayList<>();
        Map<String, Instant> admittedAt = new LinkedHashMap<>();
        for (String op : ops) {
            JsonNode view = api.get("/api/v1/operations/" + op).json();
            Instant admitted =
                    Instant.parse(OperationJson.step(view, "precheck").get("startedAt").asString());
            admittedAt.put(op, admitted);
            held.add(new Instant[] {admitted, Instant.parse(view.get("finishedAt").asString())});
        }
        assertThat(maxOverlap(held))
                .as("at most max-erases-per-host = 2 at once, and the limit was reached")
                .isEqualTo(2);
        assertThat(maxPosition[0])
                .as("the last ones waited in line and showed their place")
                .isGreaterThanOrEqualTo(3);
        List<String> byCreation =
                ops.stream().sorted(Comparator.comparing(UUID::fromString)).toList();
        AdmissionOrder.assertFirstComeFirstServed(
                byCreation.stream()
                        .map(
                                op ->
                                        new AdmissionOrder.Admitted(
                                                admittedAt.get(op), held.get(ops.indexOf(op))[1]))
                        .toList(),
                2);
        long replicasThatRanErases =
                replicas.stream()
                        .filter(
                                r ->
                                        ops.stream()
                                                .anyMatch(
                                                        op ->
                                                                logsMention(
                                                                        r,
                                                                        "run-start "
                                                                                + op
                                                                                + " erase")))
                        .count();
        assertThat(replicasThatRanErases)
                .as("the replicas competed for the work")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(2)
    void aReplicaStoppedGracefullyHandsItsRunningStepToAnother() throws Exception {
        Api api = replicas.get(0).api();
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "graceful",
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("detach-region", "PT5S")))))
                        .id();
        String a =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                "{\"serial\": \"GR-1\", \"kind\": \"cxl-memdev\", \"capacityBytes\": 1048576}")
                        .id();
        String b =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                "{\"serial\": \"GR-2\", \"kind\": \"cxl-memdev\", \"capacityBytes\": 1048576}")
                        .id();
        TestInventory.attachedRegion(api, host, List.of(a, b), 1048576);
        String op =
                api.post("/api/v1/devices/" + a + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();

        String detaching = "run-start " + op + " detach-region";
        Replica runner =
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(50))
                        .until(
                                () ->
                                        replicas.stream()
                                                .filter(r -> mentions(r.currentLog(), detaching))
                                                .findFirst()
                                                .orElse(null),
                                r -> r != null);
        long stoppedAt = System.currentTimeMillis();
        runner.terminate();
        assertThat(runner.waitForExit(Duration.ofSeconds(30)))
                .as("the replica stops within its grace period")
                .isTrue();
        long exited = System.currentTimeMillis();
        assertThat(exited - stoppedAt)
                .as("grace 1 s, then the hand-back; no waiting for the 5 s step")
                .isLessThan(4_500);
        assertThat(mentions(runner.currentLog(), "handed back while step detach-region ran"))
                .isTrue();

        Replica taker =
                await().atMost(DEAD_AFTER)
                        .pollInterval(Duration.ofMillis(50))
                        .until(
                                () ->
                                        replicas.stream()
                                                .filter(
                                                        r ->
                                                                r != runner
                                                                        && mentions(
                                                                                r.currentLog(),
                                                                                detaching))
                                                .findFirst()
                                                .orElse(null),
                                r -> r != null);
        Api other = taker.api();
        JsonNode done =
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> other.get("/api/v1/operations/" + op).json(),
                                v -> "succeeded".equals(v.get("state").asString()));
        assertThat(OperationJson.step(done, "detach-region").get("attempts").asInt())
                .as("resumed as the same attempt, not retried")
                .isEqualTo(1);
        assertThat(auditActions(other, op)).isEqualTo(expectedAudit(done));
        runner.start();
    }

    @Test
    @Order(3)
    void replicasKilledAtRandomMomentsLoseNothing() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Api api = replicas.get(0).api();
        Map<String, String> latencies =
                Map.of(
                        "erase",
                        "PT5S",
                        "detach-region",
                        "PT0.1S",
                        "invalidate-cache",
                        "PT0.1S",
                        "reattach-region",
                        "PT0.1S",
                        "attach-region",
                        "PT0.1S",
                        "unlock",
                        "PT0.2S",
                        "verify",
                        "PT0.05S");
        List<String> ops = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        Map<String, String[]> unlocks = new HashMap<>();
        for (int h = 0; h < 25; h++) {
            String host =
                    api.post(
                                    "/api/v1/hosts",
                                    Api.json(
                                            Map.of(
                                                    "name",
                                                    "crash-" + h,
                                                    "backend",
                                                    Map.of(
                                                            "type",
                                                            "simulated-x86",
                                                            "latencies",
                                                            latencies))))
                            .id();
            List<String> d = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                boolean locked = i == 3 || i == 5;
                Map<String, Object> body =
                        new LinkedHashMap<>(
                                Map.of(
                                        "serial",
                                        "CR-" + h + "-" + i,
                                        "kind",
                                        "cxl-memdev",
                                        "capacityBytes",
                                        1048576,
                                        "securityState",
                                        locked ? "locked" : "disabled"));
                if (locked) {
                    body.put("passphrase", "pass-" + h + "-" + i);
                }
                d.add(api.post("/api/v1/hosts/" + host + "/devices", Api.json(body)).id());
            }
            regions.add(TestInventory.attachedRegion(api, host, d.subList(0, 4), 4 * 1048576));
            regions.add(
                    api.post(
                                    "/api/v1/hosts/" + host + "/regions",
                                    Api.json(
                                            Map.of(
                                                    "name",
                                                    "region1",
                                                    "deviceIds",
                                                    d.subList(4, 6),
                                                    "sizeBytes",
                                                    2 * 1048576)))
                            .id());
            for (int i = 0; i < 8; i++) {
                Api via = replicas.get(random.nextInt(3)).api();
                String path = "/api/v1/devices/" + d.get(i);
                Api.Response started =
                        switch (i) {
                            case 3, 5 ->
                                    via.post(
                                            path + "/unlock",
                                            Api.json(Map.of("passphrase", "pass-" + h + "-" + i)));
                            case 6 ->
                                    via.post(
                                            path + "/decommission",
                                            "{\"method\": \"secure-erase\"}");
                            default ->
                                    via.post(
                                            path + "/secure-erase",
                                            "{\"method\": \""
                                                    + (i % 2 == 0 ? "sanitize" : "secure-erase")
                                                    + "\"}");
                        };
                assertThat(started.status()).as(started.toString()).isEqualTo(202);
                ops.add(started.id());
                if (i == 3 || i == 5) {
                    unlocks.put(started.id(), new String[] {path, "pass-" + h + "-" + i});
                }
            }
        }

        int killsWhileBusy = killAtRandom(random, ops, 6);
        assertThat(killsWhileBusy)
                .as("kills landed while operations ran (seed " + seed + ")")
                .isGreaterThanOrEqualTo(4);

        Api any = replicas.get(0).api();
        // An unlock whose passphrase died with the replica that held it failed before it reached
        // the device, and says to send it again: the pipeline does, and then it succeeds.
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> allEnded(any, ops));
        for (String op : List.copyOf(ops)) {
            JsonNode view = any.get("/api/v1/operations/" + op).json();
            if (view.get("state").asString().equals("failed") && unlocks.containsKey(op)) {
                assertThat(view.get("error").asString())
                        .as("seed " + seed + ": " + view)
                        .contains("send the request again");
                ops.remove(op);
                Api.Response again =
                        any.post(
                                unlocks.get(op)[0] + "/unlock",
                                Api.json(Map.of("passphrase", unlocks.get(op)[1])));
                assertThat(again.status()).as(again.toString()).isEqualTo(202);
                ops.add(again.id());
            }
        }
        Map<String, JsonNode> views = awaitAllSucceededWholeAndInOrder(any, ops, seed);
        assertNoStepRanOnTwoReplicasAtOnce();
        assertInvariantHolds(views);
        JsonNode verification = any.get("/api/v1/audit/verification").json();
        assertThat(verification.get("intact").asBoolean()).as(verification.toString()).isTrue();
        assertThat(any.get("/api/v1/devices?status=busy&limit=1000").json().get("items"))
                .as("no device stuck busy")
                .isEmpty();
        assertThat(any.get("/api/v1/devices?status=quarantined&limit=1000").json().get("items"))
                .isEmpty();
        for (String region : regions) {
            assertThat(any.get("/api/v1/regions/" + region).text("state"))
                    .as("region " + region)
                    .isEqualTo("attached");
        }
    }

    @Test
    @Order(4)
    void aBatchsWavesSurviveReplicasKilledAtRandomMoments() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Api api = replicas.get(0).api();
        String rack = "wave-" + UUID.randomUUID();
        Map<String, String> latencies =
                Map.of(
                        "erase",
                        "PT3S",
                        "detach-region",
                        "PT0.1S",
                        "invalidate-cache",
                        "PT0.1S",
                        "reattach-region",
                        "PT0.1S",
                        "verify",
                        "PT0.05S");
        List<String> regions = new ArrayList<>();
        for (int h = 0; h < 6; h++) {
            String host =
                    api.post(
                                    "/api/v1/hosts",
                                    Api.json(
                                            Map.of(
                                                    "name",
                                                    rack + "-" + h,
                                                    "labels",
                                                    Map.of("rack", rack),
                                                    "backend",
                                                    Map.of(
                                                            "type",
                                                            "simulated-x86",
                                                            "latencies",
                                                            latencies))))
                            .id();
            List<String> d = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                d.add(TestInventory.device(api, host, rack + "-" + h + "-" + i));
            }
            regions.add(TestInventory.attachedRegion(api, host, d, 8 * 1048576));
        }
        var batch =
                replicas.get(random.nextInt(3))
                        .api()
                        .post(
                                "/api/v1/batches",
                                Api.json(
                                        Map.of(
                                                "action",
                                                "secure-erase",
                                                "method",
                                                "sanitize",
                                                "selector",
                                                Map.of("labels", Map.of("rack", rack)))));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(202);
        List<String> ops = new ArrayList<>();
        api.get("/api/v1/operations?limit=100&batchId=" + batch.id())
                .json()
                .get("items")
                .forEach(op -> ops.add(op.get("id").asString()));
        assertThat(ops).hasSize(48);

        int killsWhileBusy = killAtRandom(random, ops, 4);
        assertThat(killsWhileBusy)
                .as("kills landed while the batch ran (seed " + seed + ")")
                .isGreaterThanOrEqualTo(2);

        Api any = replicas.get(0).api();
        Map<String, JsonNode> views = awaitAllSucceededWholeAndInOrder(any, ops, seed);
        assertThat(any.get("/api/v1/batches/" + batch.id()).json().get("state").asString())
                .isEqualTo("succeeded");
        assertNoStepRanOnTwoReplicasAtOnce();
        assertInvariantHolds(views);
        assertThat(any.get("/api/v1/audit/verification").json().get("intact").asBoolean()).isTrue();
        for (String region : regions) {
            assertThat(any.get("/api/v1/regions/" + region).text("state"))
                    .as("region " + region)
                    .isEqualTo("attached");
        }
    }

    /**
     * Kills a random replica every 0.5 to 2.5 s, {@code kills} times, even one still starting, as
     * long as another one is up; each comes back in the background after up to 2 s. Answers how
     * many kills landed while operations still ran.
     */
    private static int killAtRandom(Random random, List<String> ops, int kills) throws Exception {
        Map<Replica, CompletableFuture<Void>> restarting = new HashMap<>();
        int killed = 0;
        int killsWhileBusy = 0;
        while (killed < kills) {
            Thread.sleep(500 + random.nextInt(2_000));
            List<Replica> up =
                    replicas.stream().filter(r -> r.alive() && isDone(restarting.get(r))).toList();
            List<Replica> candidates = replicas.stream().filter(Replica::alive).toList();
            if (up.isEmpty() || candidates.size() < 2) {
                continue;
            }
            Replica victim = candidates.get(random.nextInt(candidates.size()));
            Replica witness = up.stream().filter(r -> r != victim).findFirst().orElse(null);
            if (witness == null) {
                continue;
            }
            boolean busy = !allEnded(witness.api(), ops);
            Path log = victim.currentLog();
            killedAt.put(log, victim.kill().toEpochMilli());
            killed++;
            killsWhileBusy += busy ? 1 : 0;
            long pause = random.nextInt(2_000);
            restarting.put(
                    victim,
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    Thread.sleep(pause);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                victim.start();
                            }));
        }
        for (Replica replica : replicas) {
            if (!replica.alive() || !isDone(restarting.get(replica))) {
                try {
                    restarting.get(replica).join();
                } catch (RuntimeException killedWhileStarting) {
                    replica.start();
                }
            }
        }
        return killsWhileBusy;
    }

    // ---- checks -------------------------------------------------------------------------------

    /**
     * Waits for every operation to end, then checks each succeeded with its audit whole and in
     * order.
     */
    private static Map<String, JsonNode> awaitAllSucceededWholeAndInOrder(
            Api any, List<String> ops, long seed) {
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> allEnded(any, ops));
        Map<String, JsonNode> views = new HashMap<>();
        for (String op : ops) {
            JsonNode view = any.get("/api/v1/operations/" + op).json();
            views.put(op, view);
            assertThat(view.get("state").asString())
                    .as("seed " + seed + ": " + view)
                    .isEqualTo("succeeded");
            assertThat(auditActions(any, op))
                    .as("whole and in order: " + op)
                    .isEqualTo(expectedAudit(view));
        }
        return views;
    }

    /**
     * Every run of a step, from every incarnation's log; a killed one's open runs end at the kill.
     */
    private static void assertNoStepRanOnTwoReplicasAtOnce() throws IOException {
        Map<String, List<long[]>> runsByOperation = new HashMap<>();
        Map<String, List<String>> owners = new HashMap<>();
        for (Replica replica : replicas) {
            for (Path log : replica.logs()) {
                Map<String, Long> open = new HashMap<>();
                try (Stream<String> lines = Files.lines(log)) {
                    for (String line : (Iterable<String>) lines::iterator) {
                        Matcher start = RUN_START.matcher(line);
                        Matcher end = RUN_END.matcher(line);
                        if (start.find()) {
                            open.put(start.group(1), Long.parseLong(start.group(4)));
                        } else if (end.find() && open.containsKey(end.group(1))) {
                            add(
                                    runsByOperation,
                                    owners,
                                    end.group(1),
                                    open.remove(end.group(1)),
                                    Long.parseLong(end.group(2)),
                                    log);
                        }
                    }
                }
                long cut = killedAt.getOrDefault(log, Long.MAX_VALUE);
                open.forEach((op, started) -> add(runsByOperation, owners, op, started, cut, log));
            }
        }
        assertThat(runsByOperation).isNotEmpty();
        runsByOperation.forEach(
                (op, runs) -> {
                    List<String> who = owners.get(op);
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < runs.size(); i++) {
                        order.add(i);
                    }
                    order.sort(Comparator.comparingLong(i -> runs.get(i)[0]));
                    for (int k = 1; k < order.size(); k++) {
                        long[] before = runs.get(order.get(k - 1));
                        long[] after = runs.get(order.get(k));
                        assertThat(after[0])
                                .as(
                                        "operation %s: a run in %s began before the run in %s ended",
                                        op, who.get(order.get(k)), who.get(order.get(k - 1)))
                                .isGreaterThanOrEqualTo(before[1]);
                    }
                });
    }

    private static void add(
            Map<String, List<long[]>> runs,
            Map<String, List<String>> owners,
            String op,
            long start,
            long end,
            Path log) {
        runs.computeIfAbsent(op, k -> new ArrayList<>()).add(new long[] {start, end});
        owners.computeIfAbsent(op, k -> new ArrayList<>()).add(log.getFileName().toString());
    }

    /**
     * The invariant (docs/invariant.md), from both sides: the database's own record (every attached
     * region was invalidated after each member's last media change), and the operations' step times
     * (every commit came after an invalidation on the host that began after every earlier erase or
     * unlock of a member ended).
     */
    private static void assertInvariantHolds(Map<String, JsonNode> views) throws Exception {
        try (Connection c = PostgresTestDatabase.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "select r.id, r.state, r.invalidated_at, m.media_changed_at from "
                                        + schema
                                        + ".regions r join "
                                        + schema
                                        + ".region_members m on m.region_id = r.id")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                if ("attached".equals(rs.getString(2)) && rs.getTimestamp(4) != null) {
                    assertThat(rs.getTimestamp(3))
                            .as("region " + rs.getString(1))
                            .isNotNull()
                            .isAfter(rs.getTimestamp(4));
                }
            }
            assertThat(rows).isPositive();
        }
        Map<String, List<Instant[]>> invalidationsByHost = new HashMap<>();
        Map<String, List<Instant[]>> changesByRegion = new HashMap<>();
        Map<String, List<Instant[]>> commitsByRegion = new HashMap<>();
        for (JsonNode op : views.values()) {
            String host = op.get("hostId").asString();
            String region = op.hasNonNull("regionId") ? op.get("regionId").asString() : null;
            for (JsonNode step : op.get("steps")) {
                if (!"succeeded".equals(step.get("state").asString())) {
                    continue;
                }
                Instant[] span = {
                    Instant.parse(step.get("startedAt").asString()),
                    Instant.parse(step.get("finishedAt").asString())
                };
                String name = step.get("name").asString();
                if (name.equals("invalidate-cache")) {
                    invalidationsByHost.computeIfAbsent(host, k -> new ArrayList<>()).add(span);
                } else if (region != null && (name.equals("erase") || name.equals("unlock"))) {
                    changesByRegion.computeIfAbsent(region, k -> new ArrayList<>()).add(span);
                } else if (region != null
                        && name.endsWith("attach-region")
                        && step.get("detail").asString().endsWith("committed")) {
                    commitsByRegion
                            .computeIfAbsent(region + "@" + host, k -> new ArrayList<>())
                            .add(span);
                }
            }
        }
        assertThat(commitsByRegion).isNotEmpty();
        commitsByRegion.forEach(
                (key, commits) -> {
                    String region = key.substring(0, key.indexOf('@'));
                    List<Instant[]> invalidations =
                            invalidationsByHost.get(key.substring(key.indexOf('@') + 1));
                    List<Instant[]> changes = changesByRegion.getOrDefault(region, List.of());
                    for (Instant[] commit : commits) {
                        // The commit happened at one instant of its step; a step resumed after a
                        // kill spans the outage, so its commit was at its start (first run) or near
                        // its end (resumed run).
                        assertThat(List.of(commit[0], commit[1]))
                                .as(
                                        "region %s committed at a moment the invariant allowed, within %s..%s",
                                        region, commit[0], commit[1])
                                .anyMatch(at -> invariantAllows(at, changes, invalidations));
                    }
                });
    }

    /**
     * No member was changing at that moment, and every earlier change was followed by a whole
     * invalidation.
     */
    private static boolean invariantAllows(
            Instant at, List<Instant[]> changes, List<Instant[]> invalidations) {
        for (Instant[] change : changes) {
            if (change[0].isAfter(at)) {
                continue;
            }
            if (!change[1].isBefore(at)) {
                return false;
            }
            if (invalidations == null
                    || invalidations.stream()
                            .noneMatch(inv -> inv[0].isAfter(change[1]) && !inv[1].isAfter(at))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> auditActions(Api api, String op) {
        List<String> actions = new ArrayList<>();
        api.get("/api/v1/audit?limit=1000&operationId=" + op)
                .json()
                .get("items")
                .forEach(
                        r ->
                                actions.add(
                                        r.get("action").asString()
                                                + (r.get("step").isNull()
                                                        ? ""
                                                        : ":" + r.get("step").asString())));
        return actions;
    }

    private static List<String> expectedAudit(JsonNode op) {
        List<String> expected = new ArrayList<>(List.of("requested"));
        op.get("steps")
                .forEach(
                        s -> {
                            if (!"skipped".equals(s.get("state").asString())) {
                                expected.add("step-started:" + s.get("name").asString());
                                expected.add(
                                        "step-"
                                                + s.get("state").asString()
                                                + ":"
                                                + s.get("name").asString());
                            }
                        });
        expected.add("ended");
        return expected;
    }

    private static boolean allEnded(Api api, List<String> ops) {
        for (String state : List.of("queued", "running")) {
            JsonNode items =
                    api.get("/api/v1/operations?limit=1&state=" + state).json().get("items");
            if (items == null || !items.isEmpty()) {
                return false;
            }
        }
        return ops.stream().allMatch(op -> Api.ended(api.get("/api/v1/operations/" + op).json()));
    }

    /** Whether a restart is over (or none was asked): killed while starting counts as over. */
    private static boolean isDone(CompletableFuture<Void> restart) {
        return restart == null || restart.isDone();
    }

    private static int maxOverlap(List<Instant[]> intervals) {
        int max = 0;
        for (Instant[] at : intervals) {
            int overlapping =
                    (int)
                            intervals.stream()
                                    .filter(o -> !o[0].isAfter(at[0]) && o[1].isAfter(at[0]))
                                    .count();
            max = Math.max(max, overlapping);
        }
        return max;
    }

    private static boolean logsMention(Replica replica, String text) {
        return replica.logs().stream().anyMatch(log -> mentions(log, text));
    }

    private static boolean mentions(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
