package io.lethe.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Production settings: no simulated hosts, and agents only over https. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "lethe.backends.simulated.enabled=false",
            "lethe.host-agent.allow-plain-http=false"
        })
class SimulatedBackendDisabledTest {

    @LocalServerPort int port;

    @Test
    void registeringASimulatedHostIsRefused() {
        Api admin = new Api(port);
        Response refused =
                admin.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of("name", "sim", "backend", Map.of("type", "simulated-x86"))));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.text("code")).isEqualTo("simulated-backend-disabled");
        assertThat(admin.get("/api/v1/hosts").json().get("items")).isEmpty();
    }

    @Test
    void anAgentOverPlainHttpIsRefused() {
        Api admin = new Api(port);
        Response refused =
                admin.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        "plain",
                                        "backend",
                                        Map.of(
                                                "type",
                                                "host-agent",
                                                "url",
                                                "http://10.0.0.7:7443",
                                                "token",
                                                "agent-token-0123456789"))));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.text("detail")).contains("must be https");
        Response metadata =
                admin.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        "metadata",
                                        "backend",
                                        Map.of(
                                                "type",
                                                "host-agent",
                                                "url",
                                                "https://169.254.169.254",
                                                "token",
                                                "agent-token-0123456789"))));
        assertThat(metadata.status()).isEqualTo(400);
        assertThat(
                        admin.post(
                                        "/api/v1/hosts",
                                        Api.json(
                                                Map.of(
                                                        "name",
                                                        "tls",
                                                        "backend",
                                                        Map.of(
                                                                "type",
                                                                "host-agent",
                                                                "url",
                                                                "https://10.0.0.7:7443",
                                                                "token",
                                                                "agent-token-0123456789"))))
                                .status())
                .isEqualTo(201);
    }
}
