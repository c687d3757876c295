package io.lethe.support;

import io.lethe.common.WireEnum;
import io.lethe.engine.OperationState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for end-to-end tests: raw bodies in, status, headers and parsed JSON out, so
 * tests can send exactly the bytes a careless client would.
 */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The admin token every test context is bootstrapped with
     * (src/test/resources/config/application.yml).
     */
    public static final String ADMIN_TOKEN = "test-admin-token-for-the-suite-0123456789";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    /** A client that authenticates as the suite's admin. */
    public Api(int port) {
        this(port, ADMIN_TOKEN);
    }

    /** A client with the given bearer token, or none when it is null. */
    public Api(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public Api withToken(String other) {
        return new Api(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), other);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().header("Accept", "application/json"));
    }

    public Response send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    public Response get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    public Response post(String path, String json) {
        return post(
                path,
                json,
                Map.of("Content-Type", "application/json", "Accept", "application/json"));
    }

    public Response post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    public Response delete(String path) {
        return send(
                HttpRequest.newBuilder(uri(path)).DELETE().header("Accept", "application/json"));
    }

    /**
     * Waits until the operation has ended (succeeded, failed or cancelled) and answers it as it
     * ended; fails the test after {@code atMost}. The one way tests wait for an operation.
     */
    public JsonNode awaitEnd(String operationId, Duration atMost) {
        return Awaitility.await()
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> get("/api/v1/operations/" + operationId).json(), Api::ended);
    }

    /** The operation view's step of that name. */
    public static JsonNode step(JsonNode operation, String name) {
        return operation
                .get("steps")
                .valueStream()
                .filter(s -> s.get("name").asString().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** Whether an operation, as the API shows it, has ended. */
    public static boolean ended(JsonNode operation) {
        return operation != null
                && WireEnum.fromWire(OperationState.class, operation.path("state").asString(""))
                        .map(OperationState::isTerminal)
                        .orElse(false);
    }

    /**
     * Starts a batch of {@code action} with {@code method} over the devices {@code selector} picks
     * ({@code hostIds}, {@code deviceIds} or {@code labels}).
     */
    public Response startBatch(String action, String method, Map<String, ?> selector) {
        return post(
                "/api/v1/batches",
                json(Map.of("action", action, "method", method, "selector", selector)));
    }

    /** Serializes a map or record to JSON for a request body. */
    public static String json(Object body) {
        return JSON.writeValueAsString(body);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Response send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response =
                    http.send(
                            request.timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new TreeMap<>();
            response.headers()
                    .map()
                    .forEach(
                            (k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null),
                    response.body(),
                    headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response: status, content type, Location, and the body raw and as JSON. */
    public record Response(
            int status,
            String contentType,
            String location,
            String body,
            Map<String, String> headers) {

        public JsonNode json() {
            return body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
        }

        public String text(String field) {
            return json().path(field).asString();
        }

        public String id() {
            return text("id");
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}
