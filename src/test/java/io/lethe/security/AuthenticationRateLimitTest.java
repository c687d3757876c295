package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Guessing tokens from one address is cut off with 429 and shows in the metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lethe.security.auth-failures-per-minute=5", "lethe.security.unlock-attempts-per-hour=2"})
class AuthenticationRateLimitTest {

    @LocalServerPort
    int port;

    @Test
    void wrongTokensFromOneAddressAreAnswered429AfterTheLimit() {
        Api guesser = new Api(port, "lethe_not-a-real-token");
        for (int i = 0; i < 5; i++) {
            assertThat(guesser.get("/api/v1/hosts").status()).isEqualTo(401);
        }
        Response blocked = guesser.get("/api/v1/hosts");
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.text("type")).isEqualTo("urn:lethe:problem:too-many-failed-authentications");
        assertThat(Long.parseLong(blocked.headers().get("retry-after"))).isBetween(1L, 60L);
        assertThat(new Api(port, null).get("/actuator/prometheus", Map.of("Accept", "text/plain")).body())
                .contains("lethe_auth_failures_total{application=\"lethe\",reason=\"invalid-token\"} 5.0");
    }

    @Test
    void unlockRequestsPerDeviceAreLimited() {
        Api admin = new Api(port);
        String host = admin.post("/api/v1/hosts", "{\"name\": \"throttle\", \"backend\": {\"type\": \"simulated-x86\", "
                + "\"latencies\": {\"precheck\": \"PT1S\"}}}").id();
        String device = admin.post("/api/v1/hosts/" + host + "/devices", Api.json(Map.of("serial", "THR-1", "kind", "cxl-memdev",
                "capacityBytes", 1024, "securityState", "locked", "passphrase", "pw"))).id();
        Response first = admin.post("/api/v1/devices/" + device + "/unlock", "{\"passphrase\": \"x\"}");
        assertThat(first.status()).isEqualTo(202);
        assertThat(admin.post("/api/v1/devices/" + device + "/unlock", "{\"passphrase\": \"y\"}").status()).as("busy").isEqualTo(409);
        ended(admin, first.id());
        Response second = admin.post("/api/v1/devices/" + device + "/unlock", "{\"passphrase\": \"y\"}");
        assertThat(second.status()).as("the refused busy request spent no attempt: %s", second).isEqualTo(202);
        ended(admin, second.id());
        Response third = admin.post("/api/v1/devices/" + device + "/unlock", "{\"passphrase\": \"z\"}");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.text("type")).isEqualTo("urn:lethe:problem:too-many-unlock-attempts");
    }

    private static void ended(Api api, String operation) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> java.util.List.of("succeeded",
                "failed", "cancelled").contains(api.get("/api/v1/operations/" + operation).text("state")));
    }
}
