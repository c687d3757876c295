package io.lethe.support;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Hostile input for every operation of a served OpenAPI document: ids that are not ids or name
 * nothing, filters out of range, header values and bearer tokens of the wrong kind, bodies that are
 * not JSON, too deep, or whose fields have the wrong type. Each answer must be below 500, and each
 * refusal a problem detail without a stack trace; what is not is collected in {@link #failures()}.
 * The operations and their parameters come from the spec, so an endpoint added later is attacked
 * too.
 */
public final class HostileInput {

    private static final String LONG = "a".repeat(3000);
    private static final List<String> BAD_IDS =
            List.of(
                    "not-an-id",
                    "00000000-0000-0000-0000-000000000000",
                    "-1",
                    LONG,
                    "%00",
                    "%F0%9F%92%A5",
                    "..%2F..",
                    "%25");
    private static final List<String> BAD_QUERY_VALUES =
            List.of(
                    "",
                    "-1",
                    "0",
                    "99999999999999999999",
                    "1e999",
                    "not-a-value",
                    LONG,
                    "%00",
                    "%5B%5D");

    /**
     * Header values (and bearer tokens): too long, a lone space, percent signs. (Java's HTTP client
     * sends a character outside ASCII as "?": ContainerRefusalsAreProblemsTest sends those bytes.)
     */
    private static final List<String> BAD_HEADER_VALUES = List.of("h".repeat(300), " ", "%00%ff");

    private static final List<String> BAD_BODIES =
            List.of(
                    "",
                    "{",
                    "[]",
                    "null",
                    "\"text\"",
                    "123",
                    "{}",
                    "{\"a\":1,\"a\":2}",
                    "[".repeat(5000) + "]".repeat(5000),
                    "{\"x\":" + "{\"x\":".repeat(3000) + "1" + "}".repeat(3001));

    /**
     * Wrong values for a body field. The long string stays under the 64 KiB both the service and
     * the agent accept, so that the body is read and the field refused: a body over the limit is
     * refused before it is read and its connection closed at once, and a client still sending it
     * may see the connection reset instead of the 413 (RFC 9112, 9.6; docs/security.md), which is a
     * different rule from this one (a 100,000-character value failed here once that way in CI).
     */
    private static final List<Object> WRONG_VALUES =
            List.of(
                    123,
                    -1,
                    Long.MAX_VALUE,
                    1.5,
                    "text",
                    "",
                    true,
                    List.of(),
                    List.of("x", 1),
                    Map.of(),
                    Map.of("nested", Map.of()),
                    "x".repeat(50_000));

    private final Api api;
    private final Map<String, String> existing;
    private final Map<String, String> validBodies = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private int requests;
    private int operations;
    private int fields;

    /**
     * @param existing real ids by the collection that names them ({@code "hosts"} for {@code
     *     /hosts/{id}}), so that a request reaches the checks behind "does it exist"
     */
    public HostileInput(Api api, Map<String, String> existing) {
        this.api = api;
        this.existing = existing;
    }

    /**
     * A body the operation at {@code template} accepts, sent with hostile headers: a body refused
     * first would keep the headers from being read.
     */
    public HostileInput withValidBody(String template, String body) {
        validBodies.put(template, body);
        return this;
    }

    /** Attacks every operation of {@code spec} whose path starts with {@code prefix}. */
    public HostileInput attackEveryOperation(JsonNode spec, String prefix) {
        for (var path : spec.path("paths").properties()) {
            if (!path.getKey().startsWith(prefix)) {
                continue;
            }
            for (var operation : path.getValue().properties()) {
                attack(
                        operation.getKey().toUpperCase(java.util.Locale.ROOT),
                        path.getKey(),
                        operation.getValue(),
                        spec);
            }
        }
        return this;
    }

    /** The requests answered at or above 500, or refused without a problem detail. */
    public List<String> failures() {
        return failures;
    }

    /**
     * How far the attack reached: operations attacked, body fields (top-level) given wrong values,
     * requests sent. A test holds these up so that it cannot pass by attacking nothing.
     */
    public record Reach(int operations, int fields, int requests) {}

    public Reach reach() {
        return new Reach(operations, fields, requests);
    }

    private void attack(String method, String template, JsonNode operation, JsonNode spec) {
        operations++;
        List<String> pathParameters = new ArrayList<>();
        List<String> queryParameters = new ArrayList<>();
        List<String> headerParameters = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("in").asString().equals("path")) {
                pathParameters.add(parameter.path("name").asString());
            } else if (parameter.path("in").asString().equals("query")) {
                queryParameters.add(parameter.path("name").asString());
            } else if (parameter.path("in").asString().equals("header")) {
                headerParameters.add(parameter.path("name").asString());
            }
        }
        Map<String, String> base = new LinkedHashMap<>();
        for (String name : pathParameters) {
            base.put(name, existingFor(template, name, existing));
        }
        JsonNode body = schemaOf(operation.path("requestBody"), spec);
        String neutralBody = operation.has("requestBody") ? "{}" : null;

        for (String name : pathParameters) {
            for (String bad : BAD_IDS) {
                Map<String, String> values = new LinkedHashMap<>(base);
                values.put(name, bad);
                check(method, fill(template, values), neutralBody);
            }
        }
        String basePath = fill(template, base);
        for (String name : queryParameters) {
            for (String bad : BAD_QUERY_VALUES) {
                check(method, basePath + "?" + name + "=" + bad, neutralBody);
            }
        }
        for (String name : headerParameters) {
            for (String bad : BAD_HEADER_VALUES) {
                send(
                        api,
                        method,
                        basePath,
                        validBodies.getOrDefault(template, neutralBody),
                        "application/json",
                        Map.of(name, bad));
            }
        }
        for (String bad : BAD_HEADER_VALUES) {
            send(api.withToken(bad), method, basePath, neutralBody, "application/json", Map.of());
        }
        for (String accept : List.of("garbage", "application/json;q=x", "text/html")) {
            send(api, method, basePath, neutralBody, "application/json", Map.of("Accept", accept));
        }
        if (!operation.has("requestBody")) {
            return;
        }
        for (String bad : BAD_BODIES) {
            check(method, basePath, bad);
        }
        send(method, basePath, "name=x", "text/plain");
        for (var property : body.path("properties").properties()) {
            fields++;
            for (Object wrong : WRONG_VALUES) {
                Map<String, Object> value = new LinkedHashMap<>();
                value.put(property.getKey(), wrong);
                check(method, basePath, Api.json(value));
            }
            JsonNode nested = resolve(property.getValue(), spec);
            for (var inner : nested.path("properties").properties()) {
                for (Object wrong : WRONG_VALUES) {
                    check(
                            method,
                            basePath,
                            Api.json(Map.of(property.getKey(), Map.of(inner.getKey(), wrong))));
                }
            }
        }
    }

    private void check(String method, String path, String body) {
        send(method, path, body, "application/json");
    }

    private void send(String method, String path, String body, String contentType) {
        send(api, method, path, body, contentType, Map.of());
    }

    private void send(
            Api client,
            String method,
            String path,
            String body,
            String contentType,
            Map<String, String> extraHeaders) {
        requests++;
        String request =
                method + " " + abbreviated(path) + " " + extraHeaders + " " + abbreviated(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.putAll(extraHeaders);
        if (body != null) {
            headers.put("Content-Type", contentType);
        }
        Api.Response answer;
        try {
            answer = client.send(method, path, body, headers);
        } catch (UncheckedIOException e) {
            failures.add(request + " -> no answer: " + e.getCause().getMessage());
            return;
        }
        if (answer.status() >= 500) {
            failures.add(request + " -> " + abbreviated(answer.toString()));
        } else if (answer.status() >= 400) {
            if (!answer.contentType().startsWith("application/problem+json")) {
                failures.add(request + " -> not a problem: " + abbreviated(answer.toString()));
            }
            String text = answer.body();
            for (String leak : List.of("Exception", "\tat ", "org.springframework", "java.")) {
                if (text.contains(leak)) {
                    failures.add(request + " -> names " + leak + ": " + abbreviated(text));
                }
            }
        }
    }

    private static String existingFor(String template, String name, Map<String, String> existing) {
        // "/api/v1/hosts/{id}/devices": the segment before the parameter says what it names
        String before = template.substring(0, template.indexOf("{" + name + "}"));
        String[] segments = before.split("/");
        String collection = segments.length == 0 ? "" : segments[segments.length - 1];
        return existing.getOrDefault(collection, "00000000-0000-0000-0000-000000000000");
    }

    private static String fill(String template, Map<String, String> values) {
        String path = template;
        for (var value : values.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        return path;
    }

    private static JsonNode schemaOf(JsonNode requestBody, JsonNode spec) {
        return resolve(requestBody.path("content").path("application/json").path("schema"), spec);
    }

    private static JsonNode resolve(JsonNode schema, JsonNode spec) {
        String ref = schema.path("$ref").asString("");
        if (ref.startsWith("#/components/schemas/")) {
            return spec.path("components")
                    .path("schemas")
                    .path(ref.substring("#/components/schemas/".length()));
        }
        return schema;
    }

    private static String abbreviated(String text) {
        if (text == null) {
            return "(no body)";
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
