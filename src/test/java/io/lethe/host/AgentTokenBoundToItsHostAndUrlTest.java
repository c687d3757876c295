package io.lethe.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import io.lethe.support.TestInventory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The attack on agent tokens by someone who can write the database: point a host's agent URL at a
 * listener of theirs, or copy another host's sealed token into the row, and have Lethe call the
 * agent. The oracle is the listener: what reaches it. A control host registered at the listener
 * through the API shows that the listener does receive what Lethe sends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AgentTokenBoundToItsHostAndUrlTest {

    static final String TOKEN_A = "token-of-host-a-Zq7-0123456789";
    static final String TOKEN_B = "token-of-host-b-Zq7-0123456789";

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;

    HttpServer listener;
    final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws Exception {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext(
                "/",
                exchange -> {
                    received.add(
                            exchange.getRequestURI()
                                    + " "
                                    + exchange.getRequestHeaders().getFirst("Authorization"));
                    exchange.sendResponseHeaders(409, -1);
                    exchange.close();
                });
        listener.start();
    }

    @AfterEach
    void stop() {
        listener.stop(0);
    }

    private String listenerUrl() {
        return "http://127.0.0.1:" + listener.getAddress().getPort();
    }

    private UUID register(Api admin, String url, String token) {
        return UUID.fromString(
                TestInventory.agentHost(admin, "bound-" + UUID.randomUUID(), url, token));
    }

    @Test
    void aTokenMovedOrAnAgentUrlChangedInTheDatabaseIsSentNowhere() {
        Api admin = new Api(port);
        // The control: registered through the API at the listener, its token reaches it.
        UUID control = register(admin, listenerUrl(), TOKEN_B);
        admin.post("/api/v1/hosts/" + control + "/discover", "");
        assertThat(received).anyMatch(r -> r.endsWith("Bearer " + TOKEN_B));
        received.clear();

        UUID a = register(admin, "http://127.0.0.1:9", TOKEN_A);
        jdbc.update(
                "update hosts set backend_settings = ? where id = ?", agentAt(listenerUrl()), a);
        Response discovered = admin.post("/api/v1/hosts/" + a + "/discover", "");
        assertThat(discovered.status()).as(discovered.body()).isEqualTo(409);
        assertThat(discovered.body())
                .contains("registered again")
                .contains("/api/v1/hosts/" + a + "/agent")
                .doesNotContain(TOKEN_A);
        assertThat(received).as("nothing reaches the URL written into the database").isEmpty();

        // B's sealed token copied into A's row, at B's own URL: it opens for B only.
        jdbc.update(
                "update hosts set backend_settings = ?, backend_secret_enc = (select"
                        + " backend_secret_enc from hosts where id = ?) where id = ?",
                agentAt(listenerUrl()),
                control,
                a);
        assertThat(admin.post("/api/v1/hosts/" + a + "/discover", "").status()).isEqualTo(409);
        assertThat(received).as("a copied token is sent nowhere").isEmpty();

        // Registered again through the API, the host's agent is called with the new token.
        Response again =
                admin.send(
                        "PUT",
                        "/api/v1/hosts/" + a + "/agent",
                        Api.json(Map.of("url", listenerUrl(), "token", TOKEN_A)),
                        Map.of("Content-Type", "application/json"));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.body()).doesNotContain(TOKEN_A);
        admin.post("/api/v1/hosts/" + a + "/discover", "");
        assertThat(received).anyMatch(r -> r.endsWith("Bearer " + TOKEN_A));
        assertThat(
                        jdbc.queryForObject(
                                "select count(*) from audit_records where action = 'agent-registered'"
                                        + " and host_id = ?",
                                Integer.class,
                                a))
                .isEqualTo(1);
    }

    @Test
    void onlyAnAgentHostHasAnAgentToRegisterAgain() {
        Api admin = new Api(port);
        Response simulated =
                admin.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        "sim-" + UUID.randomUUID(),
                                        "backend",
                                        Map.of("type", "simulated-x86"))));
        Response refused =
                admin.send(
                        "PUT",
                        "/api/v1/hosts/" + simulated.id() + "/agent",
                        Api.json(Map.of("url", listenerUrl(), "token", TOKEN_A)),
                        Map.of("Content-Type", "application/json"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("no-agent");
        Response bad =
                admin.send(
                        "PUT",
                        "/api/v1/hosts/" + simulated.id() + "/agent",
                        Api.json(Map.of("url", "ftp://x", "token", "short")),
                        Map.of("Content-Type", "application/json"));
        assertThat(bad.status()).isEqualTo(400);
    }

    /** An agent host's settings document, as the host-agent backend keeps it. */
    private static String agentAt(String url) {
        return "{\"url\":\"" + url + "\"}";
    }
}
