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
        assertThat(new Api(port, null).get("/actuator/prometheus", Map.of("Accept", "text/plain")).body())
                .contains("lethe_auth_failures_total{application=\"lethe\",reason=\"invalid-token\"} 5.0");
    }

    @Test
    void unlockRequestsPerDeviceAreLimited() {
        Api admin = new Api(port);
        String host = admin.post("/api/v1/hosts", "{\"name\": \"throttle\", \"backend\": {\"type\": \"simulated-x86\", "
                + "\"latencies\": {\"precheck\": \"PT5S\"}}}").id();
        String device = admin.post("/api/v1/hosts/" + host + "/devices", Api.json(Map.of("serial", "THR-1", "kind", "cxl-memdev",
                "capacityBytes", 1024, "securityState", "locked", "passphrase", "pw"))).id();
        assertThat(admin.post("/api/v1/devices/" + device + "/unlock", "{\"passphrase\": \"x\"}").status()).isEqualTo(202);
        assertThat(admin.post("/api/v1/devices/" + device + "/unlock", "{\"passphrase\": \"y\"}").status()).as("busy").isEqualTo(409);
        Response third = admin.post("/api/v1/devices/" + device + "/unlock", "{\"passphrase\": \"z\"}");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.text("type")).isEqualTo("urn:lethe:problem:too-many-unlock-attempts");
    }
}
