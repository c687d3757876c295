package io.lethe.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 36, item 13: the committed contract (held equal to the live one by OpenApiContractTest)
 * declares links along the main flows, and every link can be followed: its operation exists, the
 * parameter it fills is one that operation takes, and the field it reads is in the schema of the
 * answer it hangs on.
 */
class ApiLinksTest {

    static final JsonNode API = JsonMapper.builder().build().readTree(Path.of("api/openapi.json"));

    record Op(JsonNode node, Set<String> parameters) {}

    @Test
    void everyLinkLeadsToAnOperationWithTheParameterItFillsFromAFieldItsAnswerHas() {
        Map<String, Op> ops = operations();
        Set<String> followed = new HashSet<>();
        for (Map.Entry<String, Op> source : ops.entrySet()) {
            for (var responses = source.getValue().node().path("responses").properties().iterator();
                    responses.hasNext(); ) {
                var response = responses.next();
                for (var links = response.getValue().path("links").properties().iterator();
                        links.hasNext(); ) {
                    var link = links.next();
                    String target = link.getValue().path("operationId").asString();
                    assertThat(ops)
                            .as("%s links to %s", source.getKey(), target)
                            .containsKey(target);
                    for (var p = link.getValue().path("parameters").properties().iterator();
                            p.hasNext(); ) {
                        var parameter = p.next();
                        assertThat(ops.get(target).parameters())
                                .as("%s takes %s", target, parameter.getKey())
                                .contains(parameter.getKey());
                        String field =
                                parameter.getValue().asString().replace("$response.body#/", "");
                        assertThat(properties(response.getValue()))
                                .as(
                                        "the answer %s of %s has %s",
                                        response.getKey(), source.getKey(), field)
                                .contains(field);
                    }
                    followed.add(source.getKey() + " -> " + target);
                }
            }
        }
        assertThat(followed)
                .contains(
                        "registerHost -> getHost",
                        "registerHost -> registerDevice",
                        "registerDevice -> startSecureErase",
                        "startSecureErase -> getOperation",
                        "startSecureErase -> getCertificate",
                        "getOperation -> getCertificate",
                        "startBatch -> getBatch",
                        "startBatch -> listOperations");
    }

    private static Map<String, Op> operations() {
        Map<String, Op> ops = new HashMap<>();
        for (JsonNode item : API.path("paths")) {
            for (JsonNode op : item) {
                if (op.has("operationId")) {
                    Set<String> names = new HashSet<>();
                    op.path("parameters").forEach(p -> names.add(p.path("name").asString()));
                    ops.put(op.path("operationId").asString(), new Op(op, names));
                }
            }
        }
        return ops;
    }

    /** The property names of the JSON answer's schema, through its $ref. */
    private static Set<String> properties(JsonNode response) {
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asString().replace("#/components/schemas/", "");
            schema = API.path("components").path("schemas").path(name);
        }
        Set<String> names = new HashSet<>();
        schema.path("properties").propertyNames().forEach(names::add);
        return names;
    }
}
