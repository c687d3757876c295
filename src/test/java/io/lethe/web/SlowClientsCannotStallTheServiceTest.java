package io.lethe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.agent.EmulatedAgent;
import io.lethe.agent.EmulatedKernel;
import io.lethe.agent.EmulatedKernel.Memdev;
import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The slow-client attack on both ports, with no token: many connections each send a request with a
 * large {@code Content-Length} and then one byte of its body at a time; refused early (401), each
 * used to hold a request thread while the container swallowed the body it had announced. With the
 * thread pools shrunk to a few threads (so that few attackers suffice), the service's health must
 * keep answering and an erase through the agent must complete while the attack goes on. The oracle
 * is the real service and agent over loopback, each on its own Tomcat.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.tomcat.threads.max=6", "server.tomcat.threads.min-spare=2"})
class SlowClientsCannotStallTheServiceTest {

    static final String TOKEN = "agent-token-slow-clients-0123456789";
    static final int ATTACKERS_PER_PORT = 24;

    @LocalServerPort int port;

    @Test
    void slowBodiesWithoutATokenStallNeitherTheServiceNorTheAgent() throws Exception {
        Path root = Files.createTempDirectory("lethe-slow-clients-");
        EmulatedKernel kernel =
                EmulatedKernel.build(
                        root,
                        false,
                        Duration.ofMillis(200),
                        List.of(new Memdev(0, 0x5C_0000L, null, false)),
                        List.of(),
                        List.of());
        AtomicBoolean attacking = new AtomicBoolean(true);
        List<Thread> attackers = new ArrayList<>();
        AtomicInteger connections = new AtomicInteger();
        try (EmulatedAgent agent =
                EmulatedAgent.start(
                        kernel,
                        TOKEN,
                        "--server.tomcat.threads.max=6",
                        "--server.tomcat.threads.min-spare=2")) {
            Api api = new Api(port);
            String host =
                    TestInventory.agentHost(
                            api, "slow-clients-" + System.nanoTime(), agent.url(), TOKEN);
            assertThat(api.post("/api/v1/hosts/" + host + "/discover", "").status()).isEqualTo(200);
            String device =
                    api.get("/api/v1/devices?hostId=" + host)
                            .json()
                            .get("items")
                            .get(0)
                            .get("id")
                            .asString();

            // The agent reads no body over its limit, with its token or without.
            HttpResponse<String> tooLarge =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            agent.url()
                                                                    + "/agent/v1/devices/x/erase"))
                                            .header("Authorization", "Bearer " + TOKEN)
                                            .header("Content-Type", "application/json")
                                            .POST(
                                                    HttpRequest.BodyPublishers.ofString(
                                                            "{\"x\": \""
                                                                    + "a".repeat(70_000)
                                                                    + "\"}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(tooLarge.body()).contains("content-too-large");

            for (int i = 0; i < ATTACKERS_PER_PORT; i++) {
                attackers.add(attacker(port, "/api/v1/hosts", attacking, connections));
                attackers.add(
                        attacker(
                                agent.port(), "/agent/v1/devices/x/erase", attacking, connections));
            }
            attackers.forEach(Thread::start);
            Thread.sleep(3_000);
            assertThat(connections.get())
                    .as("the attack is on")
                    .isGreaterThanOrEqualTo(2 * ATTACKERS_PER_PORT);

            HttpClient client =
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> health =
                        client.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + port
                                                                + "/actuator/health"))
                                        .timeout(Duration.ofSeconds(3))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                Thread.sleep(500);
            }
            Api.Response erase =
                    api.post(
                            "/api/v1/devices/" + device + "/secure-erase",
                            "{\"method\": \"sanitize\"}");
            assertThat(erase.status()).as(erase.body()).isEqualTo(202);
            JsonNode ended = api.awaitEnd(erase.id(), Duration.ofSeconds(60));
            assertThat(ended.get("state").asString()).as(ended.toString()).isEqualTo("succeeded");
        } finally {
            attacking.set(false);
            for (Thread attacker : attackers) {
                attacker.join(10_000);
            }
        }
    }

    /**
     * One attacker: a request with a 60,000-byte body announced, then a byte a second; when the
     * server closes the connection, it opens another after a second.
     */
    private static Thread attacker(
            int port, String path, AtomicBoolean attacking, AtomicInteger connections) {
        Thread thread =
                new Thread(
                        () -> {
                            while (attacking.get()) {
                                try (Socket socket = new Socket()) {
                                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                                    connections.incrementAndGet();
                                    OutputStream out = socket.getOutputStream();
                                    out.write(
                                            ("POST "
                                                            + path
                                                            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                            + "Content-Type: application/json\r\n"
                                                            + "Content-Length: 60000\r\n\r\n")
                                                    .getBytes(StandardCharsets.US_ASCII));
                                    out.flush();
                                    while (attacking.get()) {
                                        Thread.sleep(1_000);
                                        out.write('{');
                                        out.flush();
                                    }
                                } catch (Exception closed) {
                                    // the server closed it: open another
                                }
                                sleepQuietly(1_000);
                            }
                        },
                        "slow-client");
        thread.setDaemon(true);
        return thread;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
