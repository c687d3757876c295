package io.lethe.backend.hostagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.agent.EmulatedKernel;
import io.lethe.support.AgentProcess;
import io.lethe.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The service and an agent as two processes on loopback, the agent on an emulated kernel tree:
 * discover, unlock, an erase by each method and a decommission, with the kernel-visible effects in
 * the tree in the order the invariant needs, and no secret in either process's log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class HostAgentEndToEndTest {

    static final String TOKEN = "e2e-agent-token-Zq8vW3xK9pL2";
    static final String PASSPHRASE = "e2e-passphrase-Hm4tR7yB";

    @TempDir static Path root;
    static AgentProcess agent;

    @LocalServerPort int port;

    @BeforeAll
    static void startAgent() {
        agent =
                AgentProcess.start(
                        "e2e", root, TOKEN, PASSPHRASE, List.of("--emulated.sanitize-time=PT1S"));
    }

    @AfterAll
    static void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void discoversUnlocksErasesByEveryMethodAndDecommissionsThroughTheAgent(CapturedOutput output)
            throws Exception {
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "agent-e2e",
                                                "labels",
                                                Map.of("rack", "e2e"),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "host-agent",
                                                        "url",
                                                        agent.url(),
                                                        "token",
                                                        TOKEN))))
                        .id();
        assertThat(
                        api.get("/api/v1/hosts/" + host)
                                .json()
                                .at("/capabilities/cacheInvalidation")
                                .asString())
                .as("fail closed until the agent reported bare metal")
                .isEqualTo("unsupported");

        Api.Response discovered = api.post("/api/v1/hosts/" + host + "/discover", "");
        assertThat(discovered.status()).as(discovered.toString()).isEqualTo(200);
        assertThat(discovered.json().at("/devices/created")).hasSize(5);
        assertThat(discovered.json().at("/regions/created"))
                .as("three CXL regions and the NVDIMM's nd region")
                .hasSize(4);
        assertThat(discovered.json().path("cacheInvalidation").asString()).isEqualTo("supported");
        Api.Response again = api.post("/api/v1/hosts/" + host + "/discover", "");
        assertThat(again.json().at("/devices/created")).isEmpty();
        assertThat(again.json().at("/devices/updated")).isEmpty();
        assertThat(again.json().at("/devices/unchanged")).hasSize(5);
        assertThat(again.json().at("/regions/unchanged")).hasSize(4);
        assertThat(again.json().path("cacheInvalidationChanged").asBoolean()).isFalse();

        String mem0 = device(api, "0x1000");
        String mem1 = device(api, "0x1001");
        String mem2 = device(api, "0x1002");
        String mem3 = device(api, "0x1003");
        String nvdimm = device(api, "0x000d1064");
        assertThat(api.get("/api/v1/devices/" + mem2).text("securityState")).isEqualTo("locked");

        JsonNode unlock =
                awaitEnd(
                        api,
                        api.post(
                                        "/api/v1/devices/" + mem2 + "/unlock",
                                        Api.json(Map.of("passphrase", PASSPHRASE)))
                                .id());
        assertThat(unlock.path("state").asString()).as(unlock.toString()).isEqualTo("succeeded");
        assertThat(text("sys/bus/cxl/devices/mem2/security/state")).isEqualTo("unlocked");
        assertThat(text("sys/bus/cxl/devices/region1/commit")).isEqualTo("1");
        assertThat(EmulatedKernel.events(root))
                .containsSubsequence(
                        "nmem2 unlocked",
                        "cpuinfo read",
                        "region1 caches invalidated",
                        "region1 committed");

        JsonNode sanitize =
                erase(api, mem0, Map.of("method", "sanitize", "reason", "tenant hand-off"));
        assertThat(EmulatedKernel.events(root))
                .containsSubsequence(
                        "region0 reset",
                        "mem0 sanitize started",
                        "mem0 sanitize completed",
                        "cpuinfo read",
                        "region0 caches invalidated",
                        "region0 committed");
        assertThat(stepDetail(sanitize, "verify")).contains("CPU's view");

        erase(api, mem1, Map.of("method", "secure-erase"));
        assertThat(after("mem1 secure-erase completed"))
                .containsSubsequence(
                        "cpuinfo read", "region0 caches invalidated", "region0 committed");
        assertThat(before("mem1 secure-erase completed")).endsWith("region0 reset");

        erase(api, mem2, Map.of("method", "passphrase-erase", "passphrase", PASSPHRASE));
        assertThat(before("mem2 passphrase-erase completed")).endsWith("region1 reset");
        assertThat(after("mem2 passphrase-erase completed"))
                .containsSubsequence(
                        "cpuinfo read", "region1 caches invalidated", "region1 committed");
        assertThat(text("sys/bus/cxl/devices/mem2/security/state")).isEqualTo("disabled");

        erase(api, nvdimm, Map.of("method", "overwrite"));
        assertThat(EmulatedKernel.events(root))
                .as(
                        "the DIMM's nd region is disabled around the overwrite and its"
                                + " enabling invalidates")
                .containsSubsequence(
                        "nd-region100 disabled",
                        "nmem100 overwrite started",
                        "nmem100 overwrite completed",
                        "nd-region100 caches invalidated",
                        "nd-region100 enabled");
        assertThat(text("sys/bus/nd/devices/nmem100/security")).isEqualTo("disabled");

        JsonNode decommission =
                awaitEnd(
                        api,
                        api.post(
                                        "/api/v1/devices/" + mem3 + "/decommission",
                                        Api.json(Map.of("method", "sanitize")))
                                .id());
        assertThat(decommission.path("state").asString())
                .as(decommission.toString())
                .isEqualTo("succeeded");
        assertThat(api.get("/api/v1/devices/" + mem3).text("status")).isEqualTo("decommissioned");
        assertThat(text("sys/bus/cxl/devices/region2/commit"))
                .as("a decommissioned device's region stays reset")
                .isEqualTo("0");
        assertThat(after("mem3 sanitize completed")).doesNotContain("region2 committed");
        assertThat(before("mem3 sanitize started")).endsWith("region2 reset");

        Api.Response certificate =
                api.get("/api/v1/operations/" + sanitize.path("id").asString() + "/certificate");
        assertThat(certificate.status()).isEqualTo(200);
        assertThat(certificate.json().at("/payload/verification/method").asString())
                .as("the evidence claims no media read the kernel cannot do")
                .contains("CPU's view")
                .doesNotContain("from the media");
        assertThat(certificate.json().at("/payload/sanitization/tool/backend").asString())
                .isEqualTo("host-agent");
        assertThat(certificate.json().at("/payload/cacheInvalidation/performedBy").asString())
                .as("says where the kernel really invalidated")
                .contains("kernel")
                .contains("region commit");
        assertThat(certificate.json().at("/payload/cacheInvalidation/evidence").asString())
                .contains("when it commits the region")
                .contains(", checked ")
                .doesNotContain(", started ");
        for (String log : List.of(output.getAll(), agent.logText())) {
            assertThat(log).isNotBlank().doesNotContain(TOKEN).doesNotContain(PASSPHRASE);
        }
        assertThat(agent.logText())
                .contains(
                        "lethe-agent",
                        "Unlock of mem2",
                        "sanitize of mem0",
                        "passphrase-erase of mem2",
                        "region0 committed");
    }

    private static String device(Api api, String serial) {
        return api.get("/api/v1/devices?serial=" + serial)
                .json()
                .path("items")
                .get(0)
                .path("id")
                .asString();
    }

    private JsonNode erase(Api api, String device, Map<String, String> body) {
        Api.Response started =
                api.post("/api/v1/devices/" + device + "/secure-erase", Api.json(body));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        JsonNode op = awaitEnd(api, started.id());
        assertThat(op.path("state").asString()).as(op.toString()).isEqualTo("succeeded");
        assertThat(api.get("/api/v1/devices/" + device).text("status")).isEqualTo("available");
        return op;
    }

    private static JsonNode awaitEnd(Api api, String operation) {
        return api.awaitEnd(operation, Duration.ofSeconds(60));
    }

    private static String stepDetail(JsonNode op, String step) {
        for (JsonNode s : op.path("steps")) {
            if (s.path("name").asString().equals(step)) {
                return s.path("detail").asString();
            }
        }
        return "";
    }

    private static String text(String path) throws Exception {
        return Files.readString(root.resolve(path)).strip();
    }

    private static List<String> before(String event) {
        List<String> events = EmulatedKernel.events(root);
        return events.subList(0, events.indexOf(event));
    }

    private static List<String> after(String event) {
        List<String> events = EmulatedKernel.events(root);
        return events.subList(events.indexOf(event) + 1, events.size());
    }
}
