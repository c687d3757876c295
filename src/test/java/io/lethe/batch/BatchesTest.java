package io.lethe.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import io.lethe.support.OperationJson;
import io.lethe.support.TestInventory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Fleet batches over HTTP: plan, run, coalesced invalidations, refusals, cancel. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "lethe.workflow.max-erases-per-host=8",
            "lethe.workflow.erase-poll-interval=PT0.1S"
        })
class BatchesTest {

    private static final Pattern INVALIDATIONS =
            Pattern.compile(
                    "lethe_cache_invalidations_total\\{[^}]*outcome=\"succeeded\"[^}]*\\} ([0-9.]+)");

    @LocalServerPort int port;

    @Test
    void aBatchOf50HostsTimes8DevicesSucceedsWithOneInvalidationPerHostAsPlanned() {
        Api api = new Api(port);
        String rack = "b-" + UUID.randomUUID();
        Map<String, List<String>> devicesByHost = new HashMap<>();
        List<String> regions = new ArrayList<>();
        for (int h = 0; h < 50; h++) {
            String host =
                    host(
                            api,
                            Map.of("rack", rack),
                            Map.of("erase", "PT0.2S", "invalidate-cache", "PT0.02S"),
                            false);
            List<String> devices = new ArrayList<>();
            for (int d = 0; d < 8; d++) {
                devices.add(device(api, host, "disabled"));
            }
            devicesByHost.put(host, devices);
            regions.add(TestInventory.attachedRegion(api, host, devices, 8 * 1048576));
        }
        String request =
                Api.json(
                        Map.of(
                                "action",
                                "secure-erase",
                                "method",
                                "sanitize",
                                "selector",
                                Map.of("labels", Map.of("rack", rack)),
                                "reason",
                                "rack leaves the tenant",
                                "dryRun",
                                true));

        Response dry = api.post("/api/v1/batches", request);
        assertThat(dry.status()).as(dry.toString()).isEqualTo(200);
        JsonNode plan = dry.json();
        assertThat(plan.get("devices").asInt()).isEqualTo(400);
        assertThat(plan.get("invalidations").asInt()).isEqualTo(50);
        assertThat(plan.get("blockers")).isEmpty();
        assertThat(plannedDevices(plan)).isEqualTo(devicesByHost);
        plan.get("hosts").forEach(h -> assertThat(h.get("regions")).hasSize(1));
        assertThat(api.get("/api/v1/operations?limit=1&state=queued").json().get("items"))
                .as("a dry run changes nothing")
                .isEmpty();

        double before = invalidations(api);
        Response started =
                api.post("/api/v1/batches", request.replace("\"dryRun\":true", "\"dryRun\":false"));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.location()).isEqualTo("/api/v1/batches/" + started.id());
        assertThat(plannedDevices(started.json().get("plan")))
                .as("the run does what the plan said")
                .isEqualTo(devicesByHost);

        JsonNode batch =
                await().atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () -> api.get(started.location()).json(),
                                b -> !"running".equals(b.get("state").asString()));
        assertThat(batch.get("state").asString()).as(batch.toString()).isEqualTo("succeeded");
        assertThat(batch.get("counts").get("succeeded").asInt()).isEqualTo(400);
        assertThat(batch.get("progress").asInt()).isEqualTo(100);
        assertThat(invalidations(api) - before)
                .as("one invalidation per host, as planned")
                .isEqualTo(50.0);
        JsonNode ops =
                api.get("/api/v1/operations?limit=1000&batchId=" + started.id())
                        .json()
                        .get("items");
        assertThat(ops).hasSize(400);
        ops.forEach(
                op -> {
                    assertThat(op.get("batchId").asString()).isEqualTo(started.id());
                    assertThat(OperationJson.stepStates(op)).containsOnly("succeeded");
                });
        regions.forEach(
                r ->
                        assertThat(api.get("/api/v1/regions/" + r).text("state"))
                                .isEqualTo("attached"));
    }

    @Test
    void virtualizedHostsAndFrozenDevicesAreRefusedWithReasonsAndTheRestSucceed() {
        Api api = new Api(port);
        String pool = "p-" + UUID.randomUUID();
        String vm = host(api, Map.of("pool", pool), Map.of(), true);
        String vmDevice = device(api, vm, "disabled");
        String mixed = host(api, Map.of("pool", pool), Map.of(), false);
        String frozen = device(api, mixed, "frozen");
        String fine = device(api, mixed, "disabled");
        String other = host(api, Map.of("pool", pool), Map.of(), false);
        String alsoFine = device(api, other, "disabled");
        String request =
                Api.json(
                        Map.of(
                                "action",
                                "secure-erase",
                                "method",
                                "secure-erase",
                                "selector",
                                Map.of("labels", Map.of("pool", pool)),
                                "dryRun",
                                true));

        JsonNode plan = api.post("/api/v1/batches", request).json();
        assertThat(plan.get("devices").asInt()).isEqualTo(2);
        assertThat(plan.get("invalidations").asInt()).isEqualTo(2);
        Map<String, String> blocked = new HashMap<>();
        plan.get("blockers")
                .forEach(
                        b ->
                                blocked.put(
                                        b.get("deviceId").asString(), b.get("problem").asString()));
        assertThat(blocked)
                .isEqualTo(Map.of(vmDevice, "invalidation-unsupported", frozen, "device-frozen"));
        plan.get("blockers").forEach(b -> assertThat(b.get("reason").asString()).isNotBlank());

        Response started =
                api.post("/api/v1/batches", request.replace("\"dryRun\":true", "\"dryRun\":false"));
        assertThat(started.status()).isEqualTo(202);
        JsonNode batch =
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> api.get(started.location()).json(),
                                b -> !"running".equals(b.get("state").asString()));
        assertThat(batch.get("state").asString()).isEqualTo("succeeded");
        assertThat(batch.get("total").asInt()).isEqualTo(2);
        assertThat(batch.get("plan").get("blockers")).hasSize(2);
        assertThat(api.get("/api/v1/devices/" + fine).text("status")).isEqualTo("available");
        assertThat(api.get("/api/v1/devices/" + alsoFine).text("status")).isEqualTo("available");
        assertThat(api.get("/api/v1/operations?deviceId=" + vmDevice).json().get("items"))
                .as("no operation for a refused device")
                .isEmpty();
        assertThat(api.get("/api/v1/operations?deviceId=" + frozen).json().get("items")).isEmpty();
    }

    @Test
    void cancellingABatchCancelsEveryOperationWhoseEraseHasNotStarted() {
        Api api = new Api(port);
        String host = host(api, Map.of(), Map.of("detach-region", "PT1.5S"), false);
        List<String> devices = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
            devices.add(device(api, host, "disabled"));
        }
        String region = TestInventory.attachedRegion(api, host, devices, 4 * 1048576);
        Response started = api.startBatch("decommission", "sanitize", Map.of("deviceIds", devices));
        assertThat(started.status()).isEqualTo(202);
        Response cancelled = api.delete(started.location());
        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(cancelled.json().get("cancelRequested").asBoolean()).isTrue();
        JsonNode batch =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> api.get(started.location()).json(),
                                b -> !"running".equals(b.get("state").asString()));
        assertThat(batch.get("state").asString()).as(batch.toString()).isEqualTo("cancelled");
        devices.forEach(
                d ->
                        assertThat(api.get("/api/v1/devices/" + d).text("status"))
                                .isEqualTo("available"));
        assertThat(api.get("/api/v1/regions/" + region).text("state")).isEqualTo("attached");
    }

    @Test
    void theAcceptedBatchCountsItsOperationsAsQueuedNotAsAFinishedEmptyBatch() {
        Api api = new Api(port);
        String host = host(api, Map.of(), Map.of("detach-region", "PT1S"), false);
        List<String> devices =
                List.of(device(api, host, "disabled"), device(api, host, "disabled"));
        Response started = api.startBatch("secure-erase", "sanitize", Map.of("deviceIds", devices));
        assertThat(started.status()).isEqualTo(202);
        JsonNode body = started.json();
        assertThat(body.get("state").asString()).as(body.toString()).isEqualTo("running");
        assertThat(body.get("total").asInt()).isEqualTo(2);
        assertThat(body.get("progress").asInt()).isZero();
        assertThat(body.at("/counts/queued").asInt()).isEqualTo(2);
    }

    @Test
    void cancellingABatchThatHasEndedIsAConflictThatRequestsNothing() {
        Api api = new Api(port);
        String host = host(api, Map.of(), Map.of(), false);
        List<String> devices = List.of(device(api, host, "disabled"));
        Response started = api.startBatch("secure-erase", "sanitize", Map.of("deviceIds", devices));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.get(started.location()).json(),
                        b -> "succeeded".equals(b.get("state").asString()));
        Response refused = api.delete(started.location());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("detail")).contains("succeeded");
        assertThat(api.get(started.location()).json().get("cancelRequested").asBoolean()).isFalse();
    }

    @Test
    void listsBatchesByStateAndRequesterInKeysetPages() {
        Api api = new Api(port);
        String host = host(api, Map.of(), Map.of(), false);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response started =
                    api.startBatch(
                            "secure-erase",
                            "sanitize",
                            Map.of("deviceIds", List.of(device(api, host, "disabled"))));
            ids.add(started.json().get("id").asString());
        }
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                ids.stream()
                                        .allMatch(
                                                id ->
                                                        "succeeded"
                                                                .equals(
                                                                        api.get(
                                                                                        "/api/v1/batches/"
                                                                                                + id)
                                                                                .text("state"))));
        String requester = api.get("/api/v1/batches/" + ids.get(0)).text("requestedBy");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Response page =
                    api.get(
                            "/api/v1/batches?state=succeeded&requestedBy="
                                    + requester
                                    + "&limit=2"
                                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json()
                    .get("items")
                    .forEach(
                            b -> {
                                assertThat(b.get("state").asString()).isEqualTo("succeeded");
                                seen.add(b.get("id").asString());
                            });
            cursor =
                    page.json().get("nextCursor").isNull()
                            ? null
                            : page.json().get("nextCursor").asString();
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().containsSubsequence(ids);
        Response running = api.get("/api/v1/batches?state=running");
        running.json()
                .get("items")
                .forEach(b -> assertThat(ids).doesNotContain(b.get("id").asString()));
        assertThat(api.get("/api/v1/batches?requestedBy=nobody-at-all").json().get("items"))
                .isEmpty();
        assertThat(api.get("/api/v1/batches?state=finished").status()).isEqualTo(400);
    }

    @Test
    void badBatchRequestsAreProblemsNamingTheField() {
        Api api = new Api(port);
        Response action =
                api.post(
                        "/api/v1/batches",
                        "{\"action\": \"shred\", \"method\": \"sanitize\", \"selector\": {\"hostIds\": []}}");
        assertThat(action.status()).isEqualTo(400);
        assertThat(action.contentType()).startsWith("application/problem+json");
        assertThat(action.text("detail")).startsWith("action:");
        Response selector =
                api.post(
                        "/api/v1/batches",
                        "{\"action\": \"secure-erase\", \"method\": \"sanitize\", \"selector\": {}}");
        assertThat(selector.status()).isEqualTo(400);
        assertThat(selector.text("detail")).startsWith("selector:");
        Response unknown =
                api.post(
                        "/api/v1/batches",
                        "{\"action\": \"secure-erase\", \"method\": \"sanitize\", \"selector\": {\"hostIds\": [\""
                                + UUID.randomUUID()
                                + "\"]}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text("detail")).startsWith("selector.hostIds: no host");
        Response unlock =
                api.post(
                        "/api/v1/batches",
                        "{\"action\": \"unlock\", \"selector\": {\"labels\": {\"a\": \"b\"}}}");
        assertThat(unlock.status()).isEqualTo(400);
        assertThat(unlock.text("detail")).startsWith("passphrase:");
        assertThat(api.get("/api/v1/batches/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    private static Map<String, List<String>> plannedDevices(JsonNode plan) {
        Map<String, List<String>> byHost = new HashMap<>();
        plan.get("hosts")
                .forEach(
                        h -> {
                            List<String> ids = new ArrayList<>();
                            h.get("devices").forEach(d -> ids.add(d.asString()));
                            byHost.put(h.get("hostId").asString(), ids);
                        });
        return byHost;
    }

    private static double invalidations(Api api) {
        Matcher m =
                INVALIDATIONS.matcher(
                        api.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body());
        assertThat(m.find()).as("the invalidation counter is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String host(
            Api api,
            Map<String, String> labels,
            Map<String, String> latencies,
            boolean virtualized) {
        return api.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        "bh-" + UUID.randomUUID(),
                                        "labels",
                                        labels,
                                        "backend",
                                        Map.of(
                                                "type",
                                                "simulated-x86",
                                                "virtualized",
                                                virtualized,
                                                "latencies",
                                                latencies))))
                .id();
    }

    private static String device(Api api, String host, String securityState) {
        return api.post(
                        "/api/v1/hosts/" + host + "/devices",
                        Api.json(
                                Map.of(
                                        "serial",
                                        "BD-" + UUID.randomUUID(),
                                        "kind",
                                        "cxl-memdev",
                                        "capacityBytes",
                                        1048576,
                                        "securityState",
                                        securityState)))
                .id();
    }
}
