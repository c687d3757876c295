package io.lethe.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The inventory API over real HTTP, against whichever database the subclass configures. Every test
 * names its resources uniquely, so they share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class InventoryApiContract {

    @LocalServerPort int port;
    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    // ---- the walk-through -------------------------------------------------------------------

    @Test
    void registersHostDevicesAndRegionAndReadsThemBack() {
        Response host =
                api.post(
                        "/api/v1/hosts",
                        """
                {"name": "%s", "labels": {"rack": "7"}, "backend": {"type": "simulated-x86", "virtualized": false,
                 "latencies": {"erase": "PT0.5S"}, "faults": {"invalidate-cache": "fail-once"}}}"""
                                .formatted(unique("r7-n12")));
        assertThat(host.status()).as(host.toString()).isEqualTo(201);
        assertThat(host.location()).isEqualTo("/api/v1/hosts/" + host.id());
        assertThat(host.json().at("/backend/latencies/erase").asString()).isEqualTo("PT0.5S");
        assertThat(host.json().at("/backend/faults/invalidate-cache").asString())
                .isEqualTo("fail-once");
        assertThat(host.json().at("/capabilities/cacheInvalidation").asString())
                .isEqualTo("supported");
        assertThat(api.get("/api/v1/hosts/" + host.id()).json()).isEqualTo(host.json());

        String d1 = device(host.id(), "cxl-memdev", 64L << 30).id();
        String d2 = device(host.id(), "cxl-memdev", 64L << 30).id();
        Response device = api.get("/api/v1/devices/" + d1);
        assertThat(device.status()).isEqualTo(200);
        assertThat(device.text("hostId")).isEqualTo(host.id());
        assertThat(device.text("status")).isEqualTo("available");
        assertThat(device.text("securityState")).isEqualTo("disabled");

        Response region =
                api.post(
                        "/api/v1/hosts/" + host.id() + "/regions",
                        """
                {"name": "region0", "deviceIds": ["%s", "%s"], "sizeBytes": %d}"""
                                .formatted(d1, d2, 128L << 30));
        assertThat(region.status()).as(region.toString()).isEqualTo(201);
        assertThat(region.location()).isEqualTo("/api/v1/regions/" + region.id());
        assertThat(region.text("state"))
                .as("nothing decodes inside the request")
                .isEqualTo("detached");
        JsonNode attach =
                api.awaitEnd(
                        region.json().get("attachOperationId").asString(), Duration.ofSeconds(30));
        assertThat(attach.get("type").asString()).isEqualTo("attach-region");
        assertThat(attach.get("state").asString()).as(attach.toString()).isEqualTo("succeeded");
        Response read = api.get("/api/v1/regions/" + region.id());
        assertThat(read.json().get("interleaveWays").asInt()).isEqualTo(2);
        assertThat(read.text("state")).isEqualTo("attached");
        assertThat(read.json().get("deviceIds").valueStream().map(JsonNode::asString).toList())
                .containsExactly(d1, d2);
    }

    @Test
    void agentTokenIsNeverReturned() {
        String token = "agent-token-" + UUID.randomUUID();
        Response host =
                api.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        unique("agent-host"),
                                        "backend",
                                        Map.of(
                                                "type",
                                                "host-agent",
                                                "url",
                                                "https://10.0.0.7:7443",
                                                "token",
                                                token))));
        assertThat(host.status()).as(host.toString()).isEqualTo(201);
        assertThat(host.json().at("/backend/tokenSet").asBoolean()).isTrue();
        assertThat(host.json().at("/capabilities/cacheInvalidation").asString())
                .as("an agent host cannot erase before it reported bare metal")
                .isEqualTo("unsupported");
        assertThat(host.body()).doesNotContain(token);
        assertThat(api.get("/api/v1/hosts/" + host.id()).body()).doesNotContain(token);
        assertThat(api.get("/api/v1/hosts?limit=1000").body()).doesNotContain(token);
    }

    @Test
    void pagesThroughDevicesWithFiltersWithoutGapsOrRepeats() {
        String hostId = host().id();
        String other = host().id();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(device(hostId, "nvdimm", 1L << 30).id());
        }
        device(other, "nvdimm", 1L << 30);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page =
                    api.get(
                            "/api/v1/devices?hostId="
                                    + hostId
                                    + "&limit=2"
                                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("items").forEach(item -> seen.add(item.get("id").asString()));
            cursor =
                    page.json().get("nextCursor").isNull()
                            ? null
                            : page.json().get("nextCursor").asString();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(pages).isEqualTo(3);

        String serial = api.get("/api/v1/devices/" + created.get(3)).text("serial");
        Response bySerial = api.get("/api/v1/devices?serial=" + serial);
        assertThat(bySerial.json().get("items")).hasSize(1);
        assertThat(bySerial.json().at("/items/0/id").asString()).isEqualTo(created.get(3));
        Response byStatus = api.get("/api/v1/devices?status=available&hostId=" + hostId);
        assertThat(byStatus.json().get("items")).hasSize(5);
        assertThat(
                        api.get("/api/v1/devices?status=quarantined&hostId=" + hostId)
                                .json()
                                .get("items"))
                .isEmpty();
    }

    @Test
    void listsRegionsOfAHostInKeysetPagesWithoutGapsOrRepeats() {
        String hostId = host().id();
        String other = host().id();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(
                    region(hostId, List.of(device(hostId, "cxl-memdev", 1L << 30).id()), 1L << 30)
                            .id());
        }
        region(other, List.of(device(other, "cxl-memdev", 1L << 30).id()), 1L << 30);
        for (String region : created) {
            api.awaitEnd(
                    api.get("/api/v1/regions/" + region).text("attachOperationId"),
                    Duration.ofSeconds(30));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page =
                    api.get(
                            "/api/v1/regions?hostId="
                                    + hostId
                                    + "&limit=2"
                                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json()
                    .get("items")
                    .forEach(
                            item -> {
                                assertThat(item.get("hostId").asString()).isEqualTo(hostId);
                                seen.add(item.get("id").asString());
                            });
            cursor =
                    page.json().get("nextCursor").isNull()
                            ? null
                            : page.json().get("nextCursor").asString();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(pages).isEqualTo(2);
        assertThat(api.get("/api/v1/regions?state=attached&hostId=" + hostId).json().get("items"))
                .hasSize(3);
        assertThat(api.get("/api/v1/regions?state=detached&hostId=" + hostId).json().get("items"))
                .isEmpty();
        assertProblem(api.get("/api/v1/regions?hostId=nope"), 400, "invalid-region-filter");
        assertProblem(api.get("/api/v1/regions?state=lost"), 400, "invalid-request");
    }

    @Test
    void pagesThroughHosts() {
        List<String> mine = List.of(host().id(), host().id(), host().id());
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Response page =
                    api.get("/api/v1/hosts?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.json().get("items").forEach(item -> seen.add(item.get("id").asString()));
            cursor =
                    page.json().get("nextCursor").isNull()
                            ? null
                            : page.json().get("nextCursor").asString();
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().containsSubsequence(mine);
    }

    @Test
    void sameSerialIsAllowedForAnotherKind() {
        String hostId = host().id();
        String serial = unique("SER");
        assertThat(
                        api.post(
                                        "/api/v1/hosts/" + hostId + "/devices",
                                        deviceJson(serial, "cxl-memdev", 1L << 30))
                                .status())
                .isEqualTo(201);
        assertThat(
                        api.post(
                                        "/api/v1/hosts/" + hostId + "/devices",
                                        deviceJson(serial, "nvdimm", 1L << 30))
                                .status())
                .isEqualTo(201);
    }

    // ---- 400: malformed and invalid input ---------------------------------------------------

    @Test
    void malformedJsonIs400() {
        assertProblem(api.post("/api/v1/hosts", "{\"name\": "), 400, "malformed-json");
        assertProblem(api.post("/api/v1/hosts", ""), 400, "missing-body");
    }

    @Test
    void validationErrorsNameEachInvalidField() {
        Response r =
                api.post(
                        "/api/v1/hosts",
                        """
                {"name": "", "labels": {"Bad Key": "x"}, "backend": {"type": "host-agent", "url": "ftp://x", "token": "short"}}""");
        assertProblem(r, 400, "invalid-request");
        assertThat(fields(r))
                .contains("name", "backend.url", "backend.token")
                .anyMatch(f -> f.startsWith("labels"));

        Response device =
                api.post(
                        "/api/v1/hosts/" + host().id() + "/devices",
                        """
                {"serial": "", "kind": "cxl-memdev", "capacityBytes": -5}""");
        assertProblem(device, 400, "invalid-request");
        assertThat(fields(device)).containsExactlyInAnyOrder("capacityBytes", "serial", "serial");
    }

    @Test
    void wrongJsonTypesAndUnknownValuesAre400NamingTheField() {
        Response unknownProperty =
                api.post(
                        "/api/v1/hosts",
                        """
                {"name": "x1", "nmae": "x", "backend": {"type": "simulated-x86"}}""");
        assertProblem(unknownProperty, 400, "invalid-json-value");
        assertThat(unknownProperty.text("detail")).contains("nmae");

        Response unknownType =
                api.post(
                        "/api/v1/hosts",
                        """
                {"name": "x2", "backend": {"type": "kvm"}}""");
        assertProblem(unknownType, 400, "invalid-json-value");
        assertThat(fields(unknownType)).containsExactly("backend");

        Response badKind =
                api.post(
                        "/api/v1/hosts/" + host().id() + "/devices",
                        """
                {"serial": "S", "kind": "dimm", "capacityBytes": 1}""");
        assertProblem(badKind, 400, "invalid-json-value");
        assertThat(badKind.text("detail"))
                .contains("kind")
                .contains("cxl-memdev")
                .contains("nvdimm");

        Response badNumber =
                api.post(
                        "/api/v1/hosts/" + host().id() + "/devices",
                        """
                {"serial": "S", "kind": "nvdimm", "capacityBytes": "lots"}""");
        assertProblem(badNumber, 400, "invalid-json-value");
        assertThat(fields(badNumber)).containsExactly("capacityBytes");
    }

    @Test
    void onlySimulatedDevicesAreRegisteredWithTheirPassphrases() {
        String agent =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                unique("agent-passphrases"),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "host-agent",
                                                        "url",
                                                        "https://10.0.0.8:7443",
                                                        "token",
                                                        "agent-token-" + UUID.randomUUID()))))
                        .id();
        Response user =
                api.post(
                        "/api/v1/hosts/" + agent + "/devices",
                        """
                {"serial": "%s", "kind": "nvdimm", "capacityBytes": 1, "securityState": "locked", "passphrase": "Pp-user-1"}"""
                                .formatted(unique("SN")));
        assertProblem(user, 400, "invalid-passphrase");
        assertThat(fields(user)).containsExactly("passphrase");
        Response master =
                api.post(
                        "/api/v1/hosts/" + agent + "/devices",
                        """
                {"serial": "%s", "kind": "nvdimm", "capacityBytes": 1, "masterPassphrase": "Pp-master-1"}"""
                                .formatted(unique("SN")));
        assertProblem(master, 400, "invalid-passphrase");
        assertThat(fields(master)).containsExactly("masterPassphrase");
        assertThat(master.body()).doesNotContain("Pp-master-1");
        assertThat(api.get("/api/v1/devices?hostId=" + agent).json().get("items"))
                .as("nothing registered")
                .isEmpty();

        // A simulated device may have its master passphrase enabled whatever its user passphrase.
        Response simulated =
                api.post(
                        "/api/v1/hosts/" + host().id() + "/devices",
                        """
                {"serial": "%s", "kind": "nvdimm", "capacityBytes": 1, "masterPassphrase": "Pp-master-2"}"""
                                .formatted(unique("SN")));
        assertThat(simulated.status()).as(simulated.toString()).isEqualTo(201);
        assertThat(simulated.text("securityState")).isEqualTo("disabled");
        assertThat(simulated.body()).doesNotContain("Pp-master-2");
    }

    @Test
    void invalidSimulatedBackendSettingsAre400() {
        for (String backend :
                List.of(
                        "{\"type\": \"simulated-x86\", \"latencies\": {\"defragment\": \"PT1S\"}}",
                        "{\"type\": \"simulated-x86\", \"latencies\": {\"erase\": \"soon\"}}",
                        "{\"type\": \"simulated-x86\", \"latencies\": {\"erase\": \"-PT1S\"}}",
                        "{\"type\": \"simulated-x86\", \"faults\": {\"erase\": \"explode\"}}")) {
            Response r =
                    api.post(
                            "/api/v1/hosts",
                            "{\"name\": \"" + unique("h") + "\", \"backend\": " + backend + "}");
            assertProblem(r, 400, "invalid-backend-setting");
            assertThat(fields(r).get(0)).startsWith("backend.");
        }
    }

    @Test
    void invalidPagingAndFiltersAre400() {
        assertProblem(api.get("/api/v1/devices?limit=0"), 400, "invalid-page-request");
        assertProblem(api.get("/api/v1/devices?limit=1001"), 400, "invalid-page-request");
        assertProblem(api.get("/api/v1/hosts?limit=abc"), 400, "invalid-request");
        assertProblem(api.get("/api/v1/devices?cursor=not-a-cursor!"), 400, "invalid-page-request");
        Response status = api.get("/api/v1/devices?status=lost");
        assertProblem(status, 400, "invalid-request");
        assertThat(status.text("detail")).contains("quarantined");
        assertProblem(api.get("/api/v1/devices?hostId=nope"), 400, "invalid-device-filter");
    }

    @Test
    void invalidRegionsAre400AndLeaveNothingBehind() {
        String hostId = host().id();
        String a = device(hostId, "cxl-memdev", 1L << 30).id();
        String b = device(hostId, "cxl-memdev", 1L << 30).id();
        String c = device(hostId, "cxl-memdev", 1L << 30).id();
        String foreign = device(host().id(), "cxl-memdev", 1L << 30).id();

        assertRegionRefused(hostId, List.of(a, b, c), 1L << 30, 400, "deviceIds");
        assertRegionRefused(hostId, List.of(a, a), 1L << 30, 400, "deviceIds[1]");
        assertRegionRefused(hostId, List.of(a, foreign), 1L << 30, 400, "deviceIds[1]");
        assertRegionRefused(
                hostId, List.of(a, UUID.randomUUID().toString()), 1L << 30, 400, "deviceIds[1]");
        assertRegionRefused(hostId, List.of(a, b), 3L << 30, 400, "sizeBytes");
        Response empty = region(hostId, List.of(), 1L << 30);
        assertProblem(empty, 400, "invalid-request");

        assertThat(region(hostId, List.of(a, b), 2L << 30).status())
                .as("nothing half-written")
                .isEqualTo(201);
    }

    // ---- 404 ----------------------------------------------------------------------------------

    @Test
    void unknownIdsAre404() {
        String missing = UUID.randomUUID().toString();
        assertProblem(api.get("/api/v1/hosts/" + missing), 404, "host-not-found");
        assertProblem(api.get("/api/v1/hosts/not-a-uuid"), 404, "host-not-found");
        assertProblem(api.get("/api/v1/devices/" + missing), 404, "device-not-found");
        assertProblem(api.get("/api/v1/regions/" + missing), 404, "region-not-found");
        assertProblem(
                api.post("/api/v1/hosts/" + missing + "/devices", deviceJson("S-404", "nvdimm", 1)),
                404,
                "host-not-found");
        assertProblem(
                api.post(
                        "/api/v1/hosts/" + missing + "/regions",
                        """
                {"name": "r", "deviceIds": ["%s"], "sizeBytes": 1}"""
                                .formatted(missing)),
                404,
                "host-not-found");
        assertProblem(api.get("/api/v1/nothing-here"), 404, "not-found");
    }

    // ---- 409 ----------------------------------------------------------------------------------

    @Test
    void duplicatesAre409() {
        String name = unique("dup");
        assertThat(api.post("/api/v1/hosts", simulatedHostJson(name)).status()).isEqualTo(201);
        assertProblem(api.post("/api/v1/hosts", simulatedHostJson(name)), 409, "host-name-taken");

        String hostId = host().id();
        String serial = unique("SER");
        assertThat(
                        api.post(
                                        "/api/v1/hosts/" + hostId + "/devices",
                                        deviceJson(serial, "cxl-memdev", 1L << 30))
                                .status())
                .isEqualTo(201);
        assertProblem(
                api.post(
                        "/api/v1/hosts/" + hostId + "/devices",
                        deviceJson(serial, "cxl-memdev", 1L << 30)),
                409,
                "device-serial-taken");
    }

    @Test
    void deviceAlreadyInRegionIs409AndTheOtherMemberStaysFree() {
        String hostId = host().id();
        String a = device(hostId, "cxl-memdev", 1L << 30).id();
        String b = device(hostId, "cxl-memdev", 1L << 30).id();
        String c = device(hostId, "cxl-memdev", 1L << 30).id();
        assertThat(region(hostId, List.of(a), 1L << 30).status()).isEqualTo(201);

        Response taken = region(hostId, List.of(b, a), 1L << 30);
        assertProblem(taken, 409, "device-already-in-region");
        assertThat(taken.text("detail")).contains(a);
        assertThat(region(hostId, List.of(b, c), 1L << 30).status()).isEqualTo(201);
    }

    // ---- 415 / 406 ----------------------------------------------------------------------------

    @Test
    void wrongMediaTypesAre415And406() {
        assertProblem(
                api.post("/api/v1/hosts", "name=x", Map.of("Content-Type", "text/plain")),
                415,
                "unsupported-media-type");
        Response notAcceptable = api.get("/api/v1/hosts", Map.of("Accept", "application/xml"));
        assertThat(notAcceptable.status()).isEqualTo(406);
        assertThat(notAcceptable.contentType()).startsWith("application/problem+json");
    }

    // ---- helpers ------------------------------------------------------------------------------

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Response host() {
        Response host = api.post("/api/v1/hosts", simulatedHostJson(unique("host")));
        assertThat(host.status()).as(host.toString()).isEqualTo(201);
        return host;
    }

    Response device(String hostId, String kind, long capacity) {
        Response device =
                api.post(
                        "/api/v1/hosts/" + hostId + "/devices",
                        deviceJson(unique("SN"), kind, capacity));
        assertThat(device.status()).as(device.toString()).isEqualTo(201);
        return device;
    }

    Response region(String hostId, List<String> deviceIds, long size) {
        return api.post(
                "/api/v1/hosts/" + hostId + "/regions",
                Api.json(
                        Map.of(
                                "name",
                                unique("region"),
                                "deviceIds",
                                deviceIds,
                                "sizeBytes",
                                size)));
    }

    static String simulatedHostJson(String name) {
        return "{\"name\": \"" + name + "\", \"backend\": {\"type\": \"simulated-x86\"}}";
    }

    static String deviceJson(String serial, String kind, long capacity) {
        return Api.json(
                Map.of(
                        "serial",
                        serial,
                        "kind",
                        kind,
                        "manufacturer",
                        "Acme",
                        "model",
                        "AM-1",
                        "capacityBytes",
                        capacity));
    }

    void assertRegionRefused(
            String hostId, List<String> deviceIds, long size, int status, String field) {
        Response r = region(hostId, deviceIds, size);
        assertProblem(r, status, "invalid-region");
        assertThat(fields(r)).containsExactly(field);
    }

    static List<String> fields(Response problem) {
        return problem.json()
                .path("errors")
                .valueStream()
                .map(e -> e.get("field").asString())
                .toList();
    }

    static void assertProblem(Response r, int status, String slug) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.text("type")).as(r.toString()).isEqualTo("urn:lethe:problem:" + slug);
        assertThat(r.text("code")).as("the problem's stable code").isEqualTo(slug);
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.text("title")).isNotBlank();
        assertThat(r.text("detail")).isNotBlank();
        assertThat(r.body())
                .as("no stack trace or exception leaks to the client")
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("trace");
    }
}
