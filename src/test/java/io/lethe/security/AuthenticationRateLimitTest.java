package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Guessing tokens from one address is cut off with 429 and shows in the metrics. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "lethe.security.auth-failures-per-minute=5",
            "lethe.security.unlock-attempts-per-hour=2"
        })
class AuthenticationRateLimitTest {

    @LocalServerPort int port;

    @Test
    void wrongTokensFromOneAddressAreAnswered429AfterTheLimit() {
        Api guesser = new Api(port, "lethe_not-a-real-token");
        for (int i = 0; i < 5; i++) {
            assertThat(guesser.get("/api/v1/hosts").status()).isEqualTo(401);
        }
        Response blocked = guesser.get("/api/v1/hosts");
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.text("type"))
                .isEqualTo("urn:lethe:problem:too-many-failed-authentications");
        assertThat(Long.parseLong(blocked.headers().get("retry-after"))).isBetween(1L, 60L);
        assertThat(
                        new Api(port, null)
                                .get("/actuator/prometheus", Map.of("Accept", "text/plain"))
                                .body())
                .contains(
                        "lethe_auth_failures_total{application=\"lethe\",reason=\"invalid-token\"} 5.0");
    }

    @Test
    void unlockRequestsPerDeviceAreLimited() {
        Api admin = new Api(port);
        String host =
                admin.post(
                                "/api/v1/hosts",
                                "{\"name\": \"throttle\", \"backend\": {\"type\": \"simulated-x86\", "
                                        + "\"latencies\": {\"precheck\": \"PT1S\"}}}")
                        .id();
        String device =
                admin.post(
                                "/api/v1/hosts/" + host + "/devices",
                                Api.json(
                                        Map.of(
                                                "serial",
                                                "THR-1",
                                                "kind",
                                                "cxl-memdev",
                                                "capacityBytes",
                                                1024,
                                                "securityState",
                                                "locked",
                                                "passphrase",
                                                "pw")))
                        .id();
        Response first =
                admin.post("/api/v1/devices/" + device + "/unlock", "{\"passphrase\": \"x\"}");
        assertThat(first.status()).isEqualTo(202);
        assertThat(
                        admin.post(
                                        "/api/v1/devices/" + device + "/unlock",
                                        "{\"passphrase\": \"y\"}")
                                .status())
                .as("busy")
                .isEqualTo(409);
        ended(admin, first.id());
        Response second =
                admin.post("/api/v1/devices/" + device + "/unlock", "{\"passphrase\": \"y\"}");
        assertThat(second.status())
                .as("the refused busy request spent no attempt: %s", second)
                .isEqualTo(202);
        ended(admin, second.id());
        Response third =
                admin.post("/api/v1/devices/" + device + "/unlock", "{\"passphrase\": \"z\"}");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.text("type")).isEqualTo("urn:lethe:problem:too-many-unlock-attempts");
    }

    @Test
    void aBatchsUnlocksCountPerDeviceNotAgainstItsToken() {
        // the limit here is 2 per device and 6 per token an hour: a rack of 8 is one request, not 8
        // of the token's
        Api admin = new Api(port);
        String rack = "rack-" + UUID.randomUUID();
        String host =
                admin.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                rack,
                                                "labels",
                                                Map.of("rack", rack),
                                                "backend",
                                                Map.of("type", "simulated-x86"))))
                        .id();
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            devices.add(
                    admin.post(
                                    "/api/v1/hosts/" + host + "/devices",
                                    Api.json(
                                            Map.of(
                                                    "serial",
                                                    rack + "-" + i,
                                                    "kind",
                                                    "cxl-memdev",
                                                    "capacityBytes",
                                                    1024,
                                                    "securityState",
                                                    "locked",
                                                    "passphrase",
                                                    "pw")))
                            .id());
        }
        // one device has used its hour already
        for (int i = 0; i < 2; i++) {
            ended(
                    admin,
                    admin.post(
                                    "/api/v1/devices/" + devices.get(0) + "/unlock",
                                    "{\"passphrase\": \"wrong\"}")
                            .id());
        }
        Response batch =
                admin.post(
                        "/api/v1/batches",
                        Api.json(
                                Map.of(
                                        "action",
                                        "unlock",
                                        "passphrase",
                                        "pw",
                                        "selector",
                                        Map.of("labels", Map.of("rack", rack)))));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(202);
        assertThat(batch.json().get("total").asInt())
                .as("seven started, beyond the token's six")
                .isEqualTo(7);
        assertThat(batch.json().at("/plan/blockers").toString())
                .as("the device that used its attempts is left out")
                .contains(devices.get(0));
    }

    private static void ended(Api api, String operation) {
        api.awaitEnd(operation, Duration.ofSeconds(30));
    }
}
