package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With {@code lethe.security.metrics-public=false} the metrics need a valid token: an anonymous
 * request (Spring gives it {@code ROLE_ANONYMOUS}) and a wrong token are refused.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lethe.security.metrics-public=false")
class PrivateMetricsTest {

    @LocalServerPort int port;

    @Test
    void privateMetricsAnswerOnlyATokenHolder() {
        Map<String, String> text = Map.of("Accept", "text/plain");
        Api anonymous = new Api(port, null);
        assertThat(anonymous.get("/actuator/prometheus", text).status()).isEqualTo(401);
        assertThat(
                        new Api(port, "not-a-token-of-this-service-0123456789")
                                .get("/actuator/prometheus", text)
                                .status())
                .isEqualTo(401);
        var scraped = new Api(port).get("/actuator/prometheus", text);
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.body()).contains("lethe_");
        assertThat(anonymous.get("/actuator/health").status())
                .as("health stays open for probes")
                .isEqualTo(200);
    }
}
