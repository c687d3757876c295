package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.Api;
import io.lethe.support.OperationJson;
import io.lethe.support.TestInventory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Operations past their deadline are failed by the reaper, in the safe direction. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "lethe.workflow.operation-deadline=PT4S",
            "lethe.workflow.reaper-interval=PT0.2S",
            "lethe.workflow.max-erases-per-host=1"
        })
class DeadlineReaperTest {

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;

    @Test
    void anEraseRunningPastItsDeadlineFailsWithTheDeviceQuarantinedAndTheRegionDetached() {
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "slow-" + UUID.randomUUID(),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("erase", "PT1H")))))
                        .id();
        String a = device(api, host);
        String b = device(api, host);
        String region = TestInventory.attachedRegion(api, host, List.of(a, b), 1048576);
        String running =
                api.post("/api/v1/devices/" + a + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        String queued =
                api.post("/api/v1/devices/" + b + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        await().atMost(Duration.ofSeconds(5))
                .until(
                        () ->
                                "running"
                                        .equals(
                                                OperationJson.step(
                                                                api.get(
                                                                                "/api/v1/operations/"
                                                                                        + running)
                                                                        .json(),
                                                                "erase")
                                                        .get("state")
                                                        .asString()));
        assertThat(api.get("/api/v1/operations/" + queued).text("state")).isEqualTo("queued");

        // Deadlines are data: hold the running one's off while the queued one's passes.
        jdbc.update(
                "update operations set deadline = ? where id = ?",
                Timestamp.from(Instant.now().plusSeconds(3600)),
                UUID.fromString(running));
        await().atMost(Duration.ofSeconds(15))
                .until(
                        () ->
                                "failed"
                                        .equals(
                                                api.get("/api/v1/operations/" + queued)
                                                        .text("state")));
        assertThat(api.get("/api/v1/operations/" + running).text("state")).isEqualTo("running");
        jdbc.update(
                "update operations set deadline = ? where id = ?",
                Timestamp.from(Instant.now()),
                UUID.fromString(running));
        await().atMost(Duration.ofSeconds(15))
                .until(
                        () ->
                                "failed"
                                        .equals(
                                                api.get("/api/v1/operations/" + running)
                                                        .text("state")));

        JsonNode expired = api.get("/api/v1/operations/" + running).json();
        assertThat(expired.get("error").asString())
                .startsWith("erase: the operation passed its deadline");
        assertThat(OperationJson.step(expired, "erase").get("state").asString())
                .isEqualTo("failed");
        assertThat(OperationJson.step(expired, "reattach-region").get("state").asString())
                .isEqualTo("skipped");
        assertThat(api.get("/api/v1/devices/" + a).text("status"))
                .as("its memory may have changed")
                .isEqualTo("quarantined");
        assertThat(api.get("/api/v1/regions/" + region).text("state")).isEqualTo("detached");

        JsonNode waited = api.get("/api/v1/operations/" + queued).json();
        assertThat(waited.get("error").asString())
                .startsWith("precheck: the operation passed its deadline");
        assertThat(api.get("/api/v1/devices/" + b).text("status"))
                .as("nothing touched it")
                .isEqualTo("available");

        List<String> actions = new ArrayList<>();
        api.get("/api/v1/audit?operationId=" + running)
                .json()
                .get("items")
                .forEach(
                        r ->
                                actions.add(
                                        r.get("action").asString()
                                                + (r.get("step").isNull()
                                                        ? ""
                                                        : ":" + r.get("step").asString())));
        assertThat(actions).endsWith("step-started:erase", "step-failed:erase", "ended");
        // The erase's polling executions that were still scheduled change nothing afterwards.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(
                        () ->
                                api.get("/api/v1/operations/" + running)
                                        .json()
                                        .toString()
                                        .equals(expired.toString()));
    }

    private static String device(Api api, String host) {
        return TestInventory.device(api, host, "DL-" + UUID.randomUUID());
    }
}
