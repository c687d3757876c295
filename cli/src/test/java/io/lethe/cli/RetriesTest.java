package io.lethe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How lethe answers a server that is busy or broken, against the JDK's own HTTP server: a 429 is
 * retried after its Retry-After, a 5xx a few times and then given up as exit 4.
 */
class RetriesTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(List<Integer> statuses, AtomicInteger calls, List<Long> at)
            throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    int call = calls.getAndIncrement();
                    at.add(System.nanoTime());
                    int status = statuses.get(Math.min(call, statuses.size() - 1));
                    byte[] body =
                            status == 200
                                    ? "{\"items\":[],\"nextCursor\":null}"
                                            .getBytes(StandardCharsets.UTF_8)
                                    : ("{\"title\":\"T" + status + "\",\"status\":" + status + "}")
                                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders()
                            .add(
                                    "Content-Type",
                                    status == 200
                                            ? "application/json"
                                            : "application/problem+json");
                    if (status == 429) {
                        exchange.getResponseHeaders().add("Retry-After", "1");
                    }
                    exchange.sendResponseHeaders(status, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static int lethe(String... args) {
        return Lethe.run(
                args,
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void a429IsRetriedAfterItsRetryAfter() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Long> at = new ArrayList<>();
        String url = serve(List.of(429, 200), calls, at);
        assertThat(lethe("hosts", "--url", url, "--token", "t")).isZero();
        assertThat(calls.get()).isEqualTo(2);
        assertThat(at.get(1) - at.get(0))
                .as("waited the Retry-After second")
                .isGreaterThanOrEqualTo(900_000_000L);
    }

    @Test
    void a5xxIsRetriedThenGivenUpAsUnreachable() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String url = serve(List.of(503), calls, new ArrayList<>());
        assertThat(lethe("hosts", "--url", url, "--token", "t")).isEqualTo(4);
        assertThat(calls.get()).as("the first call and three retries").isEqualTo(4);
    }

    @Test
    void aPassingHiccupIsNotAFailure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String url = serve(List.of(502, 200), calls, new ArrayList<>());
        assertThat(lethe("hosts", "--url", url, "--token", "t")).isZero();
    }

    @Test
    void a4xxIsNotRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String url = serve(List.of(403), calls, new ArrayList<>());
        assertThat(lethe("hosts", "--url", url, "--token", "t")).isEqualTo(2);
        assertThat(calls.get()).isEqualTo(1);
    }
}
