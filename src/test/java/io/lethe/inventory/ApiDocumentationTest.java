package io.lethe.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** What operators and dashboards reach besides the API: OpenAPI, Swagger UI, health, metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiDocumentationTest {

    @LocalServerPort int port;

    @Test
    void everyEndpointIsDocumentedWithSummaryAndSchemas() {
        JsonNode doc = new Api(port).get("/v3/api-docs").json();
        Map<String, List<String>> expected =
                Map.of(
                        "/api/v1/hosts", List.of("get", "post"),
                        "/api/v1/hosts/{id}", List.of("get"),
                        "/api/v1/hosts/{hostId}/devices", List.of("post"),
                        "/api/v1/hosts/{hostId}/regions", List.of("post"),
                        "/api/v1/devices", List.of("get"),
                        "/api/v1/devices/{id}", List.of("get"),
                        "/api/v1/regions/{id}", List.of("get"));
        expected.forEach(
                (path, methods) ->
                        methods.forEach(
                                method -> {
                                    JsonNode operation = doc.path("paths").path(path).path(method);
                                    assertThat(operation.isMissingNode())
                                            .as(method + " " + path)
                                            .isFalse();
                                    assertThat(operation.path("summary").asString())
                                            .as("summary of " + method + " " + path)
                                            .isNotBlank();
                                    assertThat(operation.path("responses").toString())
                                            .as("response schema of " + method + " " + path)
                                            .contains("$ref");
                                    if (method.equals("post")) {
                                        assertThat(operation.path("requestBody").toString())
                                                .contains("$ref");
                                    }
                                }));
        JsonNode schemas = doc.path("components").path("schemas");
        for (String schema :
                List.of(
                        "RegisterHost",
                        "RegisterDevice",
                        "DeclareRegion",
                        "Host",
                        "Device",
                        "Region")) {
            assertThat(schemas.path(schema).isMissingNode()).as(schema).isFalse();
        }
        assertThat(schemas.path("RegisterHost").path("example").isMissingNode())
                .as("request example")
                .isFalse();
        assertThat(schemas.path("RegisterDevice").path("example").isMissingNode()).isFalse();
    }

    @Test
    void everyOperationOfTheWholeApiHasASummary() {
        JsonNode paths = new Api(port).get("/v3/api-docs").json().path("paths");
        List<String> missing = new ArrayList<>();
        paths.properties()
                .forEach(
                        path ->
                                path.getValue()
                                        .properties()
                                        .forEach(
                                                op -> {
                                                    if (op.getValue()
                                                            .path("summary")
                                                            .asString("")
                                                            .isBlank()) {
                                                        missing.add(
                                                                op.getKey() + " " + path.getKey());
                                                    }
                                                }));
        assertThat(paths.size()).isGreaterThan(15);
        assertThat(missing).isEmpty();
    }

    @Test
    void everyOperationHasAStableIdNamedForWhatItDoesAndTheSpecALicenseIdentifier() {
        JsonNode doc = new Api(port).get("/v3/api-docs").json();
        Map<String, String> ids = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        doc.path("paths")
                .properties()
                .forEach(
                        path ->
                                path.getValue()
                                        .properties()
                                        .forEach(
                                                op -> {
                                                    String id =
                                                            op.getValue()
                                                                    .path("operationId")
                                                                    .asString("");
                                                    String where =
                                                            op.getKey().toUpperCase()
                                                                    + " "
                                                                    + path.getKey();
                                                    if (!id.matches("[a-z][A-Za-z]+")
                                                            || ids.put(id, where) != null) {
                                                        wrong.add(where + " -> '" + id + "'");
                                                    }
                                                }));
        assertThat(wrong).as("generated, numbered or repeated operation ids").isEmpty();
        assertThat(ids)
                .containsKeys(
                        "registerHost",
                        "registerDevice",
                        "declareRegion",
                        "startSecureErase",
                        "startUnlock",
                        "startDecommission",
                        "getOperation",
                        "listOperations",
                        "cancelOperation",
                        "followOperation",
                        "listDevices",
                        "listRegions",
                        "listBatches",
                        "startBatch",
                        "getBatch",
                        "cancelBatch",
                        "getCertificate",
                        "getSigningKeys",
                        "verifyAuditChain",
                        "exportAudit",
                        "listAuditRecords",
                        "discoverHost");
        assertThat(doc.at("/info/license/identifier").asString())
                .isEqualTo("LicenseRef-Proprietary");
        List<String> tags = new ArrayList<>();
        doc.path("tags").forEach(t -> tags.add(t.path("name").asString()));
        assertThat(tags)
                .as("tags in reading order")
                .containsExactly(
                        "Hosts",
                        "Devices",
                        "Regions",
                        "Operations",
                        "Batches",
                        "Certificates",
                        "Audit",
                        "Tokens",
                        "Secret custody");
    }

    @Test
    void everyOperationDocumentsItsRealSuccessStatusAndEveryProblemWithOneSchema() {
        JsonNode doc = new Api(port).get("/v3/api-docs").json();
        JsonNode paths = doc.path("paths");
        assertThat(paths.at("/~1api~1v1~1hosts/post/responses").has("201")).isTrue();
        assertThat(paths.at("/~1api~1v1~1hosts/post/responses").has("200")).isFalse();
        assertThat(
                        paths.at("/~1api~1v1~1hosts/post/responses/201/headers/Location")
                                .isMissingNode())
                .isFalse();
        assertThat(paths.at("/~1api~1v1~1devices~1{id}~1secure-erase/post/responses").has("202"))
                .isTrue();
        assertThat(
                        paths.at(
                                        "/~1api~1v1~1devices~1{id}~1secure-erase/post/responses/202/headers/Location")
                                .isMissingNode())
                .isFalse();
        assertThat(paths.at("/~1api~1v1~1regions~1{id}/delete/responses").has("204")).isTrue();
        assertThat(paths.at("/~1api~1v1~1devices~1{id}~1unlock/post/responses").has("422"))
                .isTrue();
        assertThat(doc.at("/components/schemas/Problem/properties/code").isMissingNode()).isFalse();
        List<String> missing = new ArrayList<>();
        paths.properties()
                .forEach(
                        path ->
                                path.getValue()
                                        .properties()
                                        .forEach(
                                                op -> {
                                                    if (!path.getKey().startsWith("/api/")) {
                                                        return;
                                                    }
                                                    JsonNode responses =
                                                            op.getValue().path("responses");
                                                    List<String> expected =
                                                            new ArrayList<>(
                                                                    List.of("401", "403", "429"));
                                                    if (path.getKey().contains("{")) {
                                                        expected.add("404");
                                                    }
                                                    if (!op.getValue()
                                                            .path("requestBody")
                                                            .isMissingNode()) {
                                                        expected.addAll(
                                                                List.of("400", "413", "415"));
                                                    }
                                                    for (String status : expected) {
                                                        if (!responses
                                                                .at(
                                                                        "/"
                                                                                + status
                                                                                + "/content/application~1problem+json/schema/$ref")
                                                                .asString("")
                                                                .equals(
                                                                        "#/components/schemas/Problem")) {
                                                            missing.add(
                                                                    op.getKey().toUpperCase()
                                                                            + " "
                                                                            + path.getKey()
                                                                            + " "
                                                                            + status);
                                                        }
                                                    }
                                                }));
        assertThat(missing).as("problems not documented with the Problem schema").isEmpty();
    }

    @Test
    void swaggerUiIsServed() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/swagger-ui.html"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("swagger-ui");
    }

    @Test
    void healthIncludesTheDatabaseAndMetricsArePrometheusText() {
        Api api = new Api(port);
        Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
        assertThat(health.json().at("/components/db/status").asString()).isEqualTo("UP");
        Response metrics = api.get("/actuator/prometheus", Map.of("Accept", "text/plain"));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("jvm_memory_used_bytes")
                .contains("http_server_requests");
    }
}
