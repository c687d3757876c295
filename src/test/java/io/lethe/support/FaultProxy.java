package io.lethe.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP hop between the orchestrator and an agent that forwards faithfully until it is armed:
 * after the first request whose "METHOD path" starts with the trigger has passed, every later
 * request meets the fault (500 answers, slowness, a replaced token, or no listener at all). It
 * counts requests by path so tests can tell retried calls from calls made once.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Fault {
        NONE,
        ERROR_500,
        SLOW,
        WRONG_TOKEN,
        DOWN,
        /** An agent from before region fencing: it has no {@code /agent/v1/capabilities}. */
        BEFORE_FENCING
    }

    private final HttpServer server;
    private final String target;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private volatile Fault fault = Fault.NONE;
    private volatile Fault armed = Fault.NONE;
    private volatile String trigger;
    private volatile Duration delay = Duration.ofSeconds(2);
    private volatile String only = "";

    public FaultProxy(String target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * After the first request starting with {@code trigger} (such as {@code POST
     * /agent/v1/devices/}) the fault applies.
     */
    public FaultProxy armAfter(String trigger, Fault fault) {
        this.trigger = trigger;
        this.armed = fault;
        return this;
    }

    /** Once armed, only requests whose "METHOD path" starts with the prefix meet the fault. */
    public FaultProxy only(String prefix) {
        this.only = prefix;
        return this;
    }

    public FaultProxy delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /**
     * Requests seen (answered or not) whose "METHOD path" starts with the prefix, once the fault
     * applied.
     */
    public int faulted(String prefix) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(e -> e.getValue().get())
                .sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String call = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
        Fault now = call.startsWith(only) ? fault : Fault.NONE;
        if (now != Fault.NONE) {
            counts.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
        }
        try {
            switch (now) {
                case ERROR_500 -> {
                    respond(
                            exchange,
                            500,
                            "{\"type\":\"urn:lethe:agent:internal\",\"status\":500,\"detail\":\"injected: the agent failed\"}");
                    return;
                }
                case SLOW -> sleep(delay);
                case BEFORE_FENCING -> {
                    respond(
                            exchange,
                            404,
                            "{\"type\":\"urn:lethe:agent:not-found\",\"status\":404,\"code\":\"not-found\"}");
                    return;
                }
                default -> {}
            }
            HttpRequest.Builder forward =
                    HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                            .method(
                                    exchange.getRequestMethod(),
                                    HttpRequest.BodyPublishers.ofByteArray(
                                            exchange.getRequestBody().readAllBytes()));
            for (String header : List.of("Content-Type", "Accept")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    forward.header(header, value);
                }
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            forward.header(
                    "Authorization",
                    now == Fault.WRONG_TOKEN
                            ? "Bearer not-the-agent-token-0000000"
                            : String.valueOf(authorization));
            HttpResponse<byte[]> answer =
                    http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers()
                    .firstValue("Content-Type")
                    .ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
            exchange.sendResponseHeaders(
                    answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
            if (fault == Fault.NONE
                    && trigger != null
                    && call.startsWith(trigger)
                    && answer.statusCode() < 300) {
                fault = armed;
                if (armed == Fault.DOWN) {
                    // the agent is gone: nothing listens on its port any more
                    new Thread(() -> server.stop(1)).start();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
