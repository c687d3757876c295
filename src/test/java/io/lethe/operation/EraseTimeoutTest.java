package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** An erase that outlives lethe.workflow.erase-timeout fails closed: the device is quarantined. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lethe.workflow.erase-timeout=PT1S")
class EraseTimeoutTest {

    @LocalServerPort int port;

    @Test
    void anEraseThatNeverEndsFailsAndQuarantines() {
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "slow-erase",
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("erase", "PT1M")))))
                        .id();
        String device =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                "{\"serial\": \"SLOW-1\", \"kind\": \"nvdimm\", \"capacityBytes\": 1024}")
                        .id();
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"overwrite\"}")
                        .id();
        JsonNode result = api.awaitEnd(op, Duration.ofSeconds(20));
        assertThat(result.get("state").asString()).isEqualTo("failed");
        assertThat(result.get("error").asString())
                .startsWith("erase:")
                .contains("did not complete within PT1S");
        assertThat(api.get("/api/v1/devices/" + device).text("status")).isEqualTo("quarantined");
    }
}
