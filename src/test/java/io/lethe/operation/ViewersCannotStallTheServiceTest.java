package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import io.lethe.support.TestInventory;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The attack: one viewer opens more long polls than the server has request threads (Tomcat's 200),
 * or opens event streams and walks away. Waiting must hold no request thread, each token has a cap,
 * and a stream whose client left stops.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "lethe.workflow.max-waits-per-token=400",
            "lethe.workflow.stream-heartbeat=PT0.3S"
        })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class ViewersCannotStallTheServiceTest {

    @LocalServerPort int port;

    @Autowired Waits waits;

    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    private String slowOperation() {
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "stall-" + UUID.randomUUID(),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("erase", "PT2M")))))
                        .id();
        String device = TestInventory.device(api, host, "STALL-" + UUID.randomUUID());
        return api.post("/api/v1/devices/" + device + "/secure-erase", "{\"method\": \"sanitize\"}")
                .id();
    }

    /** Sends a request on a socket of its own and leaves the answer unread. */
    private Socket open(String path, String accept) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        sockets.add(socket);
        socket.getOutputStream()
                .write(
                        ("GET "
                                        + path
                                        + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                                        + Api.ADMIN_TOKEN
                                        + "\r\nAccept: "
                                        + accept
                                        + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void threeHundredLongPollsLeaveTheServiceAnswering() throws Exception {
        String op = slowOperation();
        for (int i = 0; i < 300; i++) {
            open("/api/v1/operations/" + op + "?wait=PT60S", "application/json");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> waits.active() >= 300);
        long started = System.nanoTime();
        Response health = new Api(port).get("/actuator/health/liveness");
        assertThat(health.status()).isEqualTo(200);
        assertThat(new Api(port).get("/api/v1/operations/" + op).status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("answered while 300 polls wait")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void streamsWhoseClientsLeftStop() throws Exception {
        String op = slowOperation();
        List<Socket> streams = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            streams.add(open("/api/v1/operations/" + op + "/events", "text/event-stream"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> waits.active() >= 30);
        for (Socket s : streams) {
            s.close();
        }
        await("every stream noticed its client left")
                .atMost(Duration.ofSeconds(10))
                .until(() -> waits.active() == 0);
    }
}
