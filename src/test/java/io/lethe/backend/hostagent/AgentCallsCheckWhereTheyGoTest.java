package io.lethe.backend.hostagent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import io.lethe.support.TestInventory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * Every call to an agent checks where it goes: the agent's name is resolved again against the
 * target policy (a stand-in resolver plays a DNS answer that changed since registration, as the
 * test controls no DNS), and a redirect is not followed. The oracle for the redirect is a second
 * listener: whether anything reaches it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(AgentCallsCheckWhereTheyGoTest.Dns.class)
class AgentCallsCheckWhereTheyGoTest {

    static final String TOKEN = "agent-token-where-Zq7-0123456789";

    @TestConfiguration(proxyBeanMethods = false)
    static class Dns {
        @Bean
        @Primary
        AgentAddresses changedDns(AgentTargets targets) {
            return new AgentAddresses(
                    targets,
                    host ->
                            host.equals("agent-now-metadata.example")
                                    ? new InetAddress[] {InetAddress.getByName("169.254.169.254")}
                                    : InetAddress.getAllByName(host));
        }
    }

    @LocalServerPort int port;

    final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    final List<String> reachedSecond = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private HttpServer serve(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", handler);
        server.start();
        servers.add(server);
        return server;
    }

    private Response registerAndDiscover(String url) {
        Api admin = new Api(port);
        String host = TestInventory.agentHost(admin, "where-" + UUID.randomUUID(), url, TOKEN);
        return admin.post("/api/v1/hosts/" + host + "/discover", "");
    }

    @Test
    void anAgentWhoseNameNowResolvesToALinkLocalAddressIsNotCalled() {
        Response discovered = registerAndDiscover("http://agent-now-metadata.example:7443");
        assertThat(discovered.status()).as(discovered.body()).isEqualTo(409);
        assertThat(discovered.body())
                .contains("resolves to the link-local address 169.254.169.254")
                .doesNotContain(TOKEN);
    }

    @Test
    void aRedirectFromAnAgentIsNotFollowed() throws Exception {
        HttpServer second =
                serve(
                        exchange -> {
                            reachedSecond.add(
                                    exchange.getRequestHeaders().getFirst("Authorization"));
                            exchange.sendResponseHeaders(200, -1);
                            exchange.close();
                        });
        HttpServer first =
                serve(
                        exchange -> {
                            exchange.getResponseHeaders()
                                    .add(
                                            "Location",
                                            "http://127.0.0.1:"
                                                    + second.getAddress().getPort()
                                                    + exchange.getRequestURI());
                            exchange.sendResponseHeaders(307, -1);
                            exchange.close();
                        });
        Response discovered =
                registerAndDiscover("http://127.0.0.1:" + first.getAddress().getPort());
        assertThat(discovered.status()).as(discovered.body()).isGreaterThanOrEqualTo(400);
        assertThat(reachedSecond).as("nothing reaches where the redirect points").isEmpty();
    }
}
