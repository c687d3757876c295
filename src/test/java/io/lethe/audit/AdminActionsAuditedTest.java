package io.lethe.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Administrative changes are in the audit chain with their actor: tokens created and revoked,
 * hosts, devices and regions registered or removed, signing-key rotation and secrets re-encryption
 * (discovery results: DiscoveryTest, which has an agent to discover).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminActionsAuditedTest {

    @LocalServerPort int port;

    @Test
    void everyAdministrativeChangeIsAnAuditRecordWithItsActor() {
        Api bootstrap = new Api(port);
        String adminName = "auditor-of-admins-" + UUID.randomUUID();
        Response adminToken =
                bootstrap.post(
                        "/api/v1/tokens",
                        Api.json(Map.of("name", adminName, "roles", List.of("admin"))));
        Api admin = bootstrap.withToken(adminToken.text("secret"));

        String spare =
                admin.post(
                                "/api/v1/tokens",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "spare-" + UUID.randomUUID(),
                                                "roles",
                                                List.of("viewer"))))
                        .id();
        assertThat(admin.delete("/api/v1/tokens/" + spare).status()).isEqualTo(200);
        String host =
                admin.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "audited-" + UUID.randomUUID(),
                                                "backend",
                                                Map.of("type", "simulated-x86"))))
                        .id();
        String device =
                admin.post(
                                "/api/v1/hosts/" + host + "/devices",
                                Api.json(
                                        Map.of(
                                                "serial",
                                                "AUD-" + UUID.randomUUID(),
                                                "kind",
                                                "cxl-memdev",
                                                "capacityBytes",
                                                1048576)))
                        .id();
        String region =
                admin.post(
                                "/api/v1/hosts/" + host + "/regions",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "region9",
                                                "deviceIds",
                                                List.of(device),
                                                "sizeBytes",
                                                1048576)))
                        .id();
        // an attached region is refused (409), and the refusal changes nothing, so it is not in the
        // trail
        assertThat(admin.delete("/api/v1/regions/" + region).status()).isEqualTo(409);
        // a region over a locked device is declared detached, and can be removed
        String locked =
                admin.post(
                                "/api/v1/hosts/" + host + "/devices",
                                Api.json(
                                        Map.of(
                                                "serial",
                                                "AUD-L-" + UUID.randomUUID(),
                                                "kind",
                                                "cxl-memdev",
                                                "capacityBytes",
                                                1048576,
                                                "securityState",
                                                "locked",
                                                "passphrase",
                                                "pw")))
                        .id();
        String detached =
                admin.post(
                                "/api/v1/hosts/" + host + "/regions",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "region10",
                                                "deviceIds",
                                                List.of(locked),
                                                "sizeBytes",
                                                1048576)))
                        .id();
        assertThat(admin.delete("/api/v1/regions/" + detached).status()).isEqualTo(204);
        assertThat(admin.post("/api/v1/certificates/signing-key/rotation", "").status())
                .isEqualTo(201);
        assertThat(admin.post("/api/v1/admin/secrets/re-encryption", "").status()).isEqualTo(200);

        List<JsonNode> mine = new ArrayList<>();
        List<String> creations = new ArrayList<>();
        // Every page: the test context's other tests write records of their own.
        String cursor = null;
        do {
            JsonNode page =
                    admin.get(
                                    "/api/v1/audit?limit=1000"
                                            + (cursor == null ? "" : "&cursor=" + cursor))
                            .json();
            page.get("items")
                    .forEach(
                            r -> {
                                if (r.get("actor").asString().equals(adminName)) {
                                    mine.add(r);
                                }
                                if (r.get("action").asString().equals("token-created")) {
                                    creations.add(r.toString());
                                }
                            });
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(mine)
                .extracting(r -> r.get("action").asString())
                .contains(
                        "token-created",
                        "token-revoked",
                        "host-registered",
                        "device-registered",
                        "region-declared",
                        "region-removed",
                        "signing-key-rotated",
                        "secrets-re-encrypted");
        assertThat(mine)
                .filteredOn(r -> r.get("action").asString().equals("device-registered"))
                .anySatisfy(r -> assertThat(r.get("deviceId").asString()).isEqualTo(device));
        assertThat(creations)
                .as("the new admin's creation is recorded with its creator")
                .anySatisfy(r -> assertThat(r).contains("token " + adminName));

        assertThat(admin.get("/api/v1/audit/verification").json().get("intact").asBoolean())
                .isTrue();
    }
}
