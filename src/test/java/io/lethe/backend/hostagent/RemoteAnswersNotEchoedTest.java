package io.lethe.backend.hostagent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The attack: an admin registers a "host agent" at an address that is no agent (an internal
 * service, instance metadata) to read its answers back through Lethe's problems. Nothing of the
 * target's body may come back; only the status and slug-shaped fields.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RemoteAnswersNotEchoedTest {

    @LocalServerPort int port;

    HttpServer target;

    @AfterEach
    void stop() {
        if (target != null) {
            target.stop(0);
        }
    }

    private String serve(int status, String body) throws Exception {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext(
                "/",
                exchange -> {
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                    exchange.sendResponseHeaders(status, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    exchange.close();
                });
        target.start();
        return "http://127.0.0.1:" + target.getAddress().getPort();
    }

    @Test
    void aTargetsAnswerTextNeverComesBack() throws Exception {
        for (int status : new int[] {409, 503}) {
            String url =
                    serve(
                            status,
                            "{\"title\":\"x\",\"detail\":\"SECRET-ROLE-CREDENTIALS AKIA0000\",\"code\":\"busy\","
                                    + "\"errno\":\"EBUSY\",\"extra\":\"SECRET-ROLE-CREDENTIALS\"}");
            Api admin = new Api(port);
            String host =
                    admin.post(
                                    "/api/v1/hosts",
                                    Api.json(
                                            Map.of(
                                                    "name",
                                                    "not-an-agent-" + UUID.randomUUID(),
                                                    "backend",
                                                    Map.of(
                                                            "type",
                                                            "host-agent",
                                                            "url",
                                                            url,
                                                            "token",
                                                            "agent-token-0123456789"))))
                            .id();
            Response discovered = admin.post("/api/v1/hosts/" + host + "/discover", "");
            assertThat(discovered.status()).as(discovered.toString()).isGreaterThanOrEqualTo(400);
            assertThat(discovered.body())
                    .doesNotContain("SECRET-ROLE-CREDENTIALS")
                    .doesNotContain("AKIA");
            if (status == 409) {
                assertThat(discovered.body())
                        .contains("status 409")
                        .contains("code busy")
                        .contains("errno EBUSY");
            }
            stop();
        }
    }
}
