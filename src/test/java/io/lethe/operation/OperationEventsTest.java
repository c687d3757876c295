package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.ContractCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A pipeline follows an operation from 202 to succeeded over Server-Sent Events. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class OperationEventsTest {

    @LocalServerPort int port;

    @Test
    void anSseClientFollowsAnOperationToSucceeded(CapturedOutput output) throws Exception {
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "sse-host",
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("erase", "PT1S")))))
                        .id();
        String device =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                "{\"serial\": \"SSE-1\", \"kind\": \"nvdimm\", \"capacityBytes\": 1024}")
                        .id();
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"overwrite\"}")
                        .id();

        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + port
                                                + "/api/v1/operations/"
                                                + op
                                                + "/events"))
                        .header("Accept", "text/event-stream")
                        .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                        .timeout(Duration.ofSeconds(60))
                        .build();
        HttpResponse<Stream<String>> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        List<String> names = new ArrayList<>();
        response.body()
                .forEach(
                        line -> {
                            if (line.startsWith("event:")) {
                                names.add(line.substring(6).trim());
                            } else if (line.startsWith("data:")) {
                                events.add(Api.JSON.readTree(line.substring(5)));
                            }
                        });
        assertThat(names).isNotEmpty().containsOnly("operation");
        // every event's data validates against what the committed contract declares for its name
        ContractCheck contract = new ContractCheck(Path.of("api/openapi.json"));
        for (JsonNode event : events) {
            assertThat(
                            contract.eventViolations(
                                    "/api/v1/operations/{id}/events", "operation", event))
                    .as("event %s", event)
                    .isEmpty();
        }
        assertThat(events.size()).as("one event per change").isGreaterThan(3);
        assertThat(events.get(events.size() - 1).get("state").asString()).isEqualTo("succeeded");
        assertThat(events.stream().map(e -> e.get("state").asString()).distinct())
                .contains("running", "succeeded");
        assertThat(output.getAll())
                .as("step transitions are logged with the operation id")
                .contains("[" + op + "] ")
                .contains("step erase succeeded");
    }
}
