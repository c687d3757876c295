package io.lethe.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.AdmissionOrder;
import io.lethe.support.Api;
import io.lethe.support.OperationJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * At most max-erases-per-host erases run at once on a host; the rest wait in order and show their
 * place.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lethe.workflow.max-erases-per-host=2")
class EraseLimitsTest {

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;

    @Test
    void excessErasesWaitTheirTurnFirstComeFirstServed() throws Exception {
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "limited-" + UUID.randomUUID(),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("erase", "PT1S")))))
                        .id();
        List<String> ops = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String device =
                    api.post(
                                    "/api/v1/hosts/" + host + "/devices",
                                    Api.json(
                                            Map.of(
                                                    "serial",
                                                    "LIM-" + UUID.randomUUID(),
                                                    "kind",
                                                    "nvdimm",
                                                    "capacityBytes",
                                                    1024)))
                            .id();
            ops.add(
                    api.post(
                                    "/api/v1/devices/" + device + "/secure-erase",
                                    "{\"method\": \"overwrite\"}")
                            .id());
        }
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger maxPosition = new AtomicInteger();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            Long running =
                                    jdbc.queryForObject(
                                            "select count(*) from operations where host_id = ? and state = 'running'",
                                            Long.class,
                                            UUID.fromString(host));
                            maxRunning.accumulateAndGet(running.intValue(), Math::max);
                            JsonNode last = api.get("/api/v1/operations/" + ops.get(4)).json();
                            if (last.has("queuePosition")) {
                                maxPosition.accumulateAndGet(
                                        last.get("queuePosition").asInt(), Math::max);
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
        assertThat(maxRunning.get()).as("never more than two at once").isEqualTo(2);
        assertThat(maxPosition.get())
                .as("the last one waited behind the others")
                .isGreaterThanOrEqualTo(2);
        // Admission starts the first step in the same transaction, so precheck start times are
        // admission times.
        List<AdmissionOrder.Admitted> admitted =
                ops.stream()
                        .map(op -> api.get("/api/v1/operations/" + op).json())
                        .map(
                                view ->
                                        new AdmissionOrder.Admitted(
                                                Instant.parse(
                                                        OperationJson.step(view, "precheck")
                                                                .get("startedAt")
                                                                .asString()),
                                                Instant.parse(view.get("finishedAt").asString())))
                        .toList();
        AdmissionOrder.assertFirstComeFirstServed(admitted, 2);
    }
}
