package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import io.lethe.support.OperationJson;
import io.lethe.support.Replica;
import io.lethe.support.TestInventory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Kills the service with SIGKILL (no graceful stop) while an erase of 3 s runs, starts it again on
 * the same data, and checks that the operation completes correctly with a whole, ordered audit.
 */
class CrashRecoveryTest {

    @TempDir Path data;
    Replica service;

    @AfterEach
    void stop() {
        if (service != null && service.alive()) {
            service.kill();
        }
    }

    @Test
    void anEraseInterruptedByAKilledJvmCompletesAfterRestart() throws Exception {
        service =
                new Replica(
                                "crash-recovery",
                                List.of(
                                        "--lethe.data-dir=" + data,
                                        "--spring.datasource.url=jdbc:h2:file:"
                                                + data
                                                + "/lethe;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                                        "--db-scheduler.heartbeat-interval=1s",
                                        "--db-scheduler.missed-heartbeats-limit=4",
                                        "--db-scheduler.polling-interval=100ms",
                                        "--lethe.workflow.erase-poll-interval=PT0.1S"))
                        .start();
        Api api = service.api();
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "crash-host",
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("erase", "PT3S")))))
                        .id();
        String a =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                "{\"serial\": \"CR-1\", \"kind\": \"cxl-memdev\", \"capacityBytes\": 1048576}")
                        .id();
        String b =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                "{\"serial\": \"CR-2\", \"kind\": \"cxl-memdev\", \"capacityBytes\": 1048576}")
                        .id();
        String region = TestInventory.attachedRegion(api, host, List.of(a, b), 1048576);
        Response started =
                api.post("/api/v1/devices/" + a + "/secure-erase", "{\"method\": \"sanitize\"}");
        assertThat(started.status()).isEqualTo(202);
        String location = "/api/v1/operations/" + started.id();

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () ->
                                "running"
                                        .equals(
                                                OperationJson.step(
                                                                api.get(location).json(), "erase")
                                                        .get("state")
                                                        .asString()));
        String eraseStartedAt =
                OperationJson.step(api.get(location).json(), "erase").get("startedAt").asString();
        Thread.sleep(500);
        service.kill();

        service.start();
        JsonNode op = api.awaitEnd(started.id(), Duration.ofSeconds(90));
        assertThat(op.get("state").asString()).as(op.toString()).isEqualTo("succeeded");
        assertThat(OperationJson.stepNames(op))
                .containsExactlyElementsOf(OperationJson.SECURE_ERASE);
        assertThat(OperationJson.step(op, "erase").get("attempts").asInt())
                .as("the erase resumed, not restarted")
                .isEqualTo(1);
        assertThat(OperationJson.step(op, "erase").get("startedAt").asString())
                .as("what was committed before the kill survived it")
                .isEqualTo(eraseStartedAt);
        assertThat(api.get("/api/v1/devices/" + a).text("status")).isEqualTo("available");
        assertThat(api.get("/api/v1/regions/" + region).text("state")).isEqualTo("attached");

        List<String> actions = new ArrayList<>();
        api.get("/api/v1/audit?operationId=" + started.id())
                .json()
                .get("items")
                .forEach(
                        r ->
                                actions.add(
                                        r.get("action").asString()
                                                + (r.get("step").isNull()
                                                        ? ""
                                                        : ":" + r.get("step").asString())));
        List<String> expected = new ArrayList<>(List.of("requested"));
        OperationJson.SECURE_ERASE.forEach(
                s -> {
                    expected.add("step-started:" + s);
                    expected.add("step-succeeded:" + s);
                });
        expected.add("ended");
        assertThat(actions)
                .as("a whole audit, in order, nothing twice")
                .containsExactlyElementsOf(expected);
    }
}
