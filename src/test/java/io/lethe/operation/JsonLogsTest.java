package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.Api;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** With structured logging on, each step transition is one JSON line carrying the operation id. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.structured.format.console=ecs")
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsTest {

    @LocalServerPort int port;

    @Test
    void stepTransitionsAreJsonLinesWithTheOperationId(CapturedOutput output) {
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                "{\"name\": \"json-logs\", \"backend\": {\"type\": \"simulated-x86\"}}")
                        .id();
        String device =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                "{\"serial\": \"JSON-1\", \"kind\": \"nvdimm\", \"capacityBytes\": 1024}")
                        .id();
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"overwrite\"}")
                        .id();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "succeeded".equals(api.get("/api/v1/operations/" + op).text("state")));
        List<JsonNode> lines =
                output.getOut()
                        .lines()
                        // Other cached contexts of the suite may still be finishing their own
                        // operations in this JVM: only this operation's line counts.
                        .filter(
                                l ->
                                        l.startsWith("{")
                                                && l.contains(
                                                        "Operation "
                                                                + op
                                                                + " step erase succeeded"))
                        .map(l -> Api.JSON.readTree(l))
                        .toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("operationId").isString())
                .as("the operation id is a field of its own, not only in the message")
                .isTrue();
        assertThat(lines.get(0).path("operationId").asString()).isEqualTo(op);
    }
}
