package io.lethe.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reading operations and problems as a client reads them over HTTP: step names, states, one step,
 * and the problem type of a refusal. The step lists are the public contract's, written out here
 * (not read from the service's own enums), so a change to them fails the tests that use them.
 */
public final class OperationJson {

    public static final List<String> SECURE_ERASE =
            List.of(
                    "precheck",
                    "detach-region",
                    "erase",
                    "invalidate-cache",
                    "reattach-region",
                    "verify");
    public static final List<String> UNLOCK =
            List.of("precheck", "unlock", "invalidate-cache", "attach-region");
    public static final List<String> DECOMMISSION =
            List.of("precheck", "detach-region", "erase", "invalidate-cache", "verify", "retire");

    private OperationJson() {}

    public static List<String> stepNames(JsonNode op) {
        return op.get("steps").valueStream().map(s -> s.get("name").asString()).toList();
    }

    public static List<String> stepStates(JsonNode op) {
        return op.get("steps").valueStream().map(s -> s.get("state").asString()).toList();
    }

    public static JsonNode step(JsonNode op, String name) {
        return Api.step(op, name);
    }

    public static void assertProblem(Api.Response r, int status, String slug) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("type")).as(r.toString()).isEqualTo("urn:lethe:problem:" + slug);
    }
}
