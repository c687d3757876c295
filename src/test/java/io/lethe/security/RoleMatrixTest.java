package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every endpoint against every role and no token: 401 without a token, 403 with a role that may
 * not, and past authorization (whatever the request's own answer) with one that may. Bodies that
 * change state are invalid on purpose, so the matrix changes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RoleMatrixTest {

    static final Set<String> VIEWERS = Set.of("viewer", "operator", "auditor", "admin");
    static final Set<String> OPERATORS = Set.of("operator", "admin");
    static final Set<String> AUDITORS = Set.of("auditor", "admin");
    static final Set<String> ADMINS = Set.of("admin");

    @LocalServerPort int port;
    Api admin;
    final Map<String, Api> clients = new LinkedHashMap<>();

    @BeforeEach
    void tokens() {
        admin = new Api(port);
        clients.put("none", new Api(port, null));
        for (String role : List.of("viewer", "operator", "auditor")) {
            Response token =
                    admin.post(
                            "/api/v1/tokens",
                            Api.json(
                                    Map.of(
                                            "name",
                                            role + "-" + UUID.randomUUID(),
                                            "roles",
                                            List.of(role))));
            assertThat(token.status()).as(token.toString()).isEqualTo(201);
            clients.put(role, new Api(port, token.text("secret")));
        }
        clients.put("admin", admin);
    }

    record Call(String method, String path, String body, Set<String> allowed) {}

    @Test
    void everyEndpointAnswersEveryRoleAsTheDesignSays() {
        String host =
                admin.post(
                                "/api/v1/hosts",
                                "{\"name\": \"rm-"
                                        + UUID.randomUUID()
                                        + "\", \"backend\": {\"type\": \"simulated-x86\"}}")
                        .id();
        String device =
                admin.post(
                                "/api/v1/hosts/" + host + "/devices",
                                "{\"serial\": \"RM-"
                                        + UUID.randomUUID()
                                        + "\", \"kind\": \"nvdimm\", \"capacityBytes\": 1024}")
                        .id();
        String missing = UUID.randomUUID().toString();
        List<Call> calls =
                List.of(
                        new Call("GET", "/api/v1/hosts", null, VIEWERS),
                        new Call("GET", "/api/v1/hosts/" + host, null, VIEWERS),
                        new Call("POST", "/api/v1/hosts", "{}", ADMINS),
                        new Call("POST", "/api/v1/hosts/" + host + "/devices", "{}", ADMINS),
                        new Call("POST", "/api/v1/hosts/" + host + "/regions", "{}", ADMINS),
                        new Call("GET", "/api/v1/devices", null, VIEWERS),
                        new Call("GET", "/api/v1/devices/" + device, null, VIEWERS),
                        new Call(
                                "POST",
                                "/api/v1/devices/" + device + "/unlock-attempts/reset",
                                "",
                                ADMINS),
                        new Call("GET", "/api/v1/regions/" + missing, null, VIEWERS),
                        new Call("GET", "/api/v1/regions", null, VIEWERS),
                        new Call("GET", "/api/v1/batches", null, VIEWERS),
                        new Call("POST", "/api/v1/devices/" + device + "/unlock", "{}", OPERATORS),
                        new Call(
                                "POST",
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{}",
                                OPERATORS),
                        new Call(
                                "POST",
                                "/api/v1/devices/" + device + "/decommission",
                                "{}",
                                OPERATORS),
                        new Call("GET", "/api/v1/operations", null, VIEWERS),
                        new Call("GET", "/api/v1/operations/" + missing, null, VIEWERS),
                        new Call("DELETE", "/api/v1/operations/" + missing, null, OPERATORS),
                        new Call(
                                "GET",
                                "/api/v1/operations/" + missing + "/certificate",
                                null,
                                AUDITORS),
                        new Call("GET", "/api/v1/audit", null, AUDITORS),
                        new Call("GET", "/api/v1/audit/verification", null, AUDITORS),
                        new Call("GET", "/api/v1/audit/export", null, AUDITORS),
                        new Call("GET", "/api/v1/certificates/signing-key", null, VIEWERS),
                        new Call("POST", "/api/v1/certificates/signing-key/rotation", "", ADMINS),
                        new Call("POST", "/api/v1/admin/secrets/re-encryption", "", ADMINS),
                        new Call("GET", "/api/v1/tokens", null, ADMINS),
                        new Call("POST", "/api/v1/tokens", "{}", ADMINS),
                        new Call("DELETE", "/api/v1/tokens/" + missing, null, ADMINS));
        List<String> wrong = new ArrayList<>();
        for (Call call : calls) {
            clients.forEach(
                    (role, client) -> {
                        Map<String, String> headers =
                                call.body() == null
                                        ? Map.of("Accept", "*/*")
                                        : Map.of(
                                                "Content-Type",
                                                "application/json",
                                                "Accept",
                                                "*/*");
                        Response r = client.send(call.method(), call.path(), call.body(), headers);
                        int expected =
                                role.equals("none")
                                        ? 401
                                        : call.allowed().contains(role) ? -1 : 403;
                        boolean ok =
                                expected == -1
                                        ? r.status() != 401 && r.status() != 403
                                        : r.status() == expected
                                                && r.contentType()
                                                        .startsWith("application/problem+json")
                                                && r.text("code")
                                                        .equals(
                                                                expected == 401
                                                                        ? "unauthorized"
                                                                        : "forbidden");
                        if (!ok) {
                            wrong.add(
                                    role
                                            + " "
                                            + call.method()
                                            + " "
                                            + call.path()
                                            + " -> "
                                            + r.status());
                        }
                    });
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void healthAndApiDocsAreOpenAndMetricsOpenByDefault() {
        Api anonymous = clients.get("none");
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/prometheus", Map.of("Accept", "text/plain")).status())
                .isEqualTo(200);
        assertThat(
                        anonymous
                                .get("/v3/api-docs")
                                .json()
                                .at("/components/securitySchemes/bearer/scheme")
                                .asString())
                .as("Swagger UI's Authorize button takes a bearer token")
                .isEqualTo("bearer");
    }

    @Test
    void aRevokedTokenNoLongerWorksAndSecretsAreNeverListed() {
        Response created =
                admin.post(
                        "/api/v1/tokens",
                        Api.json(
                                Map.of(
                                        "name",
                                        "short-lived-" + UUID.randomUUID(),
                                        "roles",
                                        List.of("viewer"))));
        String secret = created.text("secret");
        assertThat(secret).startsWith("lethe_");
        Api client = new Api(port, secret);
        assertThat(client.get("/api/v1/hosts").status()).isEqualTo(200);
        Response list = admin.get("/api/v1/tokens");
        assertThat(list.body())
                .contains(created.id())
                .doesNotContain(secret)
                .doesNotContain("\"secret\"");
        assertThat(admin.delete("/api/v1/tokens/" + created.id()).json().get("revokedAt").isNull())
                .isFalse();
        Response refused = client.get("/api/v1/hosts");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text("type")).isEqualTo("urn:lethe:problem:unauthorized");
    }

    @Test
    void theActorOfAnAuditRecordIsTheTokensName() {
        String name = "pipeline-" + UUID.randomUUID();
        Api operator =
                new Api(
                        port,
                        admin.post(
                                        "/api/v1/tokens",
                                        Api.json(
                                                Map.of("name", name, "roles", List.of("operator"))))
                                .text("secret"));
        String host =
                admin.post(
                                "/api/v1/hosts",
                                "{\"name\": \"actor-"
                                        + UUID.randomUUID()
                                        + "\", \"backend\": {\"type\": \"simulated-x86\"}}")
                        .id();
        String device =
                admin.post(
                                "/api/v1/hosts/" + host + "/devices",
                                "{\"serial\": \"ACT-"
                                        + UUID.randomUUID()
                                        + "\", \"kind\": \"nvdimm\", \"capacityBytes\": 1024}")
                        .id();
        Response op =
                operator.post(
                        "/api/v1/devices/" + device + "/secure-erase",
                        "{\"method\": \"overwrite\"}");
        assertThat(op.status()).isEqualTo(202);
        assertThat(op.text("requestedBy")).isEqualTo(name);
        Response audit = admin.get("/api/v1/audit?operationId=" + op.id());
        assertThat(audit.json().at("/items/0/action").asString()).isEqualTo("requested");
        assertThat(audit.json().at("/items/0/actor").asString()).isEqualTo(name);
    }

    @Test
    void responsesCarrySecureHeadersAndNoCors() {
        Response r =
                admin.get(
                        "/api/v1/hosts",
                        Map.of("Origin", "https://evil.example", "Accept", "application/json"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers())
                .containsEntry("x-content-type-options", "nosniff")
                .containsKey("x-frame-options")
                .doesNotContainKey("access-control-allow-origin");
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"name\": \"" + "x".repeat(70_000) + "\"}";
        Response r = admin.post("/api/v1/hosts", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.text("type")).isEqualTo("urn:lethe:problem:content-too-large");
    }
}
