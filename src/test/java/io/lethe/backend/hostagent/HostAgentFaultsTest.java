package io.lethe.backend.hostagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.agent.EmulatedAgent;
import io.lethe.agent.EmulatedKernel;
import io.lethe.support.Api;
import io.lethe.support.FaultProxy;
import io.lethe.support.FaultProxy.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Faults between the orchestrator and an agent, injected on a real HTTP hop once the erase has
 * started: the operation retries what is safe to repeat, then fails with the device quarantined,
 * its region left reset and a reason that names the fault; no certificate claims an erase.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "lethe.host-agent.read-timeout=PT0.4S",
            "lethe.host-agent.retries=2",
            "lethe.host-agent.retry-backoff=PT0.02S"
        })
class HostAgentFaultsTest {

    static final String TOKEN = "agent-token-for-the-faults-0123";
    static final String ERASE_STARTED = "POST /agent/v1/devices/";
    static final AtomicLong SERIALS = new AtomicLong(0x20_0000);

    @LocalServerPort int port;
    private final List<AutoCloseable> open = new ArrayList<>();

    record Machine(Path root, EmulatedAgent agent, FaultProxy proxy, String host, String device) {}

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
    }

    @Test
    void anAgentAnswering500IsRetriedThenTheDeviceIsQuarantined() throws Exception {
        Machine m = machine(Fault.ERROR_500, false);
        JsonNode op = eraseAndEnd(m);
        assertFailedAndQuarantined(m, op, "status 500");
        assertThat(failedStep(op).path("detail").asString())
                .as("the agent's own text is not passed on")
                .doesNotContain("injected");
        assertThat(m.proxy().faulted("GET /agent/v1/erases/"))
                .as("status polls are repeated")
                .isGreaterThan(3);
    }

    @Test
    void anAgentThatDoesNotFenceRegionCommandsNeverHasItsRegionsReset() throws Exception {
        Machine m = machine(Fault.BEFORE_FENCING, false, "GET /agent/v1/inventory");
        m.proxy().only("GET /agent/v1/capabilities");
        JsonNode op = eraseAndEnd(m);
        assertThat(op.path("state").asString()).isEqualTo("failed");
        assertThat(failedStep(op).path("name").asString()).isEqualTo("detach-region");
        assertThat(failedStep(op).path("detail").asString())
                .contains("does not fence region commands");
        assertThat(m.proxy().faulted("GET /agent/v1/capabilities")).isPositive();
        assertThat(Files.readString(m.root().resolve("sys/bus/cxl/devices/region0/commit")).strip())
                .as("no reset reached the agent")
                .isEqualTo("1");
    }

    @Test
    void anAgentThatWentDownFailsTheOperationAsUnreachable() throws Exception {
        Machine m = machine(Fault.DOWN, false);
        JsonNode op = eraseAndEnd(m);
        assertFailedAndQuarantined(m, op, "unreachable");
    }

    @Test
    void anAgentTooSlowToAnswerTimesOutAndIsRetried() throws Exception {
        Machine m = machine(Fault.SLOW, false);
        m.proxy().delay(Duration.ofMillis(900));
        JsonNode op = eraseAndEnd(m);
        assertFailedAndQuarantined(m, op, "did not answer within PT0.4S");
        assertThat(m.proxy().faulted("GET /agent/v1/erases/")).isGreaterThan(1);
    }

    @Test
    void aWrongTokenIsRefusedOnceWithoutRetries() throws Exception {
        Machine m = machine(Fault.WRONG_TOKEN, false);
        JsonNode op = eraseAndEnd(m);
        assertFailedAndQuarantined(m, op, "refused Lethe's token (401)");
        assertThat(m.proxy().faulted("GET /agent/v1/erases/"))
                .as("a refusal is not retried")
                .isEqualTo(1);
    }

    @Test
    void aHostFoundToBeAVirtualMachineIsRefusedItsDetachAndNothingIsErased() throws Exception {
        Machine m = machine(Fault.NONE, false);
        // The host turns out to be a guest between discovery and the erase. The kernel invalidates
        // before a reset as before a commit (drivers/cxl/core/region.c commit_store()), so in a
        // guest the detach is refused already: the region stays committed, nothing is erased.
        Path cpuinfo = m.root().resolve("proc/cpuinfo");
        Files.writeString(
                cpuinfo, Files.readString(cpuinfo).replace(" wbnoinvd", " hypervisor wbnoinvd"));
        JsonNode op = eraseAndEnd(m);
        assertThat(op.path("state").asString()).as(op.toString()).isEqualTo("failed");
        assertThat(failedStep(op).path("name").asString()).isEqualTo("detach-region");
        assertThat(failedStep(op).path("detail").asString())
                .contains("code invalidation-unsupported", "errno ENXIO");
        assertThat(failedStep(op).path("attempts").asInt()).as("unsupported is final").isEqualTo(1);
        assertThat(Files.readString(m.root().resolve("sys/bus/cxl/devices/region0/commit")).strip())
                .isEqualTo("1");
        assertThat(EmulatedKernel.events(m.root()))
                .noneMatch(e -> e.contains("sanitize started") || e.contains("erase completed"));
        assertThat(new Api(port).get("/api/v1/devices/" + m.device()).text("status"))
                .as("nothing was erased: the device is as it was")
                .isNotEqualTo("quarantined");
    }

    @Test
    void anUnlockIsNeverRepeatedAfterAnUnclearAnswer() throws Exception {
        Machine m = machine(Fault.ERROR_500, false, "GET /agent/v1/devices/");
        m.proxy().only("POST /agent/v1/devices/");
        String locked = deviceBySerial(m, 2);
        Api api = new Api(port);
        Api.Response started =
                api.post(
                        "/api/v1/devices/" + locked + "/unlock",
                        "{\"passphrase\": \"unused-passphrase\"}");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        JsonNode op = end(started.id());
        assertThat(op.path("state").asString()).isEqualTo("failed");
        assertThat(failedStep(op).path("name").asString()).isEqualTo("unlock");
        assertThat(failedStep(op).path("detail").asString()).contains("status 500", "not repeated");
        assertThat(m.proxy().faulted("POST /agent/v1/devices/"))
                .as("one unlock request, never a second")
                .isEqualTo(1);
        assertThat(api.get("/api/v1/devices/" + locked).text("status")).isEqualTo("quarantined");
    }

    @Test
    void aPassphraseEraseWithoutAKeyTheKernelCanUseFailsWithoutQuarantiningTheDevice()
            throws Exception {
        Machine m = machine(Fault.NONE, false);
        m.agent().kernel().keysUnusable(true);
        String locked = deviceBySerial(m, 2);
        Api api = new Api(port);
        String before = api.get("/api/v1/devices/" + locked).text("status");
        Api.Response started =
                api.post(
                        "/api/v1/devices/" + locked + "/secure-erase",
                        "{\"method\": \"passphrase-erase\", \"passphrase\": \"unused-passphrase\"}");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        JsonNode op = end(started.id());
        assertThat(op.path("state").asString()).isEqualTo("failed");
        assertThat(failedStep(op).path("name").asString()).isEqualTo("erase");
        assertThat(failedStep(op).path("detail").asString())
                .contains("nothing reached the device", "ENOKEY");
        assertThat(api.get("/api/v1/devices/" + locked).text("status"))
                .as("the device is as it was")
                .isEqualTo(before)
                .isNotEqualTo("quarantined");
        assertThat(api.get("/api/v1/devices/" + locked).json().path("unlockAttemptsLeft").asInt())
                .isEqualTo(3);
    }

    @Test
    void aRegionTheHostUsesAsSystemRamIsErasedAndNeitherStepNorCertificateClaimsAReadBack()
            throws Exception {
        Machine m = machine(Fault.NONE, false);
        m.agent().kernel().systemRam(0, false);
        JsonNode op = eraseAndEnd(m);
        assertThat(op.path("state").asString()).as(op.toString()).isEqualTo("succeeded");
        assertThat(op.path("readBack").asString()).isEqualTo("none-no-cpu-view");
        String verify = "";
        for (JsonNode step : op.path("steps")) {
            if (step.path("name").asString().equals("verify")) {
                verify = step.path("detail").asString();
            }
        }
        assertThat(verify)
                .startsWith("no read-back was possible")
                .contains("System RAM")
                .doesNotContain("canary written before the erase is gone");
        JsonNode certificate =
                new Api(port)
                        .get("/api/v1/operations/" + op.path("id").asString() + "/certificate")
                        .json();
        assertThat(certificate.at("/payload/verification/method").asString())
                .contains("no read-back was possible")
                .doesNotContain("read back through it");
        assertThat(EmulatedKernel.events(m.root()))
                .as("System RAM went offline before the reset")
                .containsSubsequence(
                        "region0 driver released",
                        "region0 reset",
                        "mem0 sanitize started",
                        "region0 committed");
        assertThat(EmulatedKernel.events(m.root())).noneMatch(e -> e.contains("System RAM online"));
    }

    @Test
    void discoveryWithAWrongTokenSaysSoAndRecordsNothing() throws Exception {
        Path root = Files.createTempDirectory("lethe-faults-");
        EmulatedAgent agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(
                                root,
                                "unused-passphrase",
                                false,
                                Duration.ofMillis(300),
                                SERIALS.addAndGet(0x1000)),
                        TOKEN);
        open.add(agent);
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "faults-token-" + SERIALS.get(),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "host-agent",
                                                        "url",
                                                        agent.url(),
                                                        "token",
                                                        "the-wrong-agent-token-000"))))
                        .id();
        Api.Response refused = api.post("/api/v1/hosts/" + host + "/discover", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("detail")).contains("refused Lethe's token");
        assertThat(api.get("/api/v1/devices?hostId=" + host).json().path("items")).isEmpty();
        Api.Response down =
                api.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        "faults-down-" + SERIALS.get(),
                                        "backend",
                                        Map.of(
                                                "type",
                                                "host-agent",
                                                "url",
                                                "http://127.0.0.1:9",
                                                "token",
                                                TOKEN))));
        Api.Response unreachable = api.post("/api/v1/hosts/" + down.id() + "/discover", "");
        assertThat(unreachable.status()).isEqualTo(502);
        assertThat(unreachable.text("detail")).contains("unreachable");
    }

    private Machine machine(Fault fault, boolean hypervisor) throws IOException {
        return machine(fault, hypervisor, ERASE_STARTED);
    }

    private Machine machine(Fault fault, boolean hypervisor, String trigger) throws IOException {
        Path root = Files.createTempDirectory("lethe-faults-");
        long base = SERIALS.addAndGet(0x1000);
        EmulatedAgent agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(
                                root,
                                "unused-passphrase",
                                hypervisor,
                                Duration.ofMillis(700),
                                base),
                        TOKEN);
        open.add(agent);
        FaultProxy proxy = new FaultProxy(agent.url()).armAfter(trigger, fault);
        open.add(proxy);
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "faults-" + base,
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "host-agent",
                                                        "url",
                                                        proxy.url(),
                                                        "token",
                                                        TOKEN))))
                        .id();
        assertThat(api.post("/api/v1/hosts/" + host + "/discover", "").status()).isEqualTo(200);
        String device =
                api.get("/api/v1/devices?serial=0x" + Long.toHexString(base))
                        .json()
                        .path("items")
                        .get(0)
                        .path("id")
                        .asString();
        return new Machine(root, agent, proxy, host, device);
    }

    private JsonNode eraseAndEnd(Machine m) {
        Api api = new Api(port);
        Api.Response started =
                api.post(
                        "/api/v1/devices/" + m.device() + "/secure-erase",
                        "{\"method\": \"sanitize\"}");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        return end(started.id());
    }

    private JsonNode end(String operation) {
        return new Api(port).awaitEnd(operation, Duration.ofSeconds(60));
    }

    private String deviceBySerial(Machine m, int offset) {
        String first = new Api(port).get("/api/v1/devices/" + m.device()).text("serial");
        long serial = Long.parseLong(first.substring(2), 16) + offset;
        return new Api(port)
                .get("/api/v1/devices?serial=0x" + Long.toHexString(serial))
                .json()
                .path("items")
                .get(0)
                .path("id")
                .asString();
    }

    private void assertFailedAndQuarantined(Machine m, JsonNode op, String... reasons)
            throws IOException {
        Api api = new Api(port);
        assertThat(op.path("state").asString()).as(op.toString()).isEqualTo("failed");
        assertThat(failedStep(op).path("detail").asString()).as(op.toString()).contains(reasons);
        assertThat(api.get("/api/v1/devices/" + m.device()).text("status"))
                .isEqualTo("quarantined");
        assertThat(Files.readString(m.root().resolve("sys/bus/cxl/devices/region0/commit")).strip())
                .as("the region is never committed again after a failed erase")
                .isEqualTo("0");
        assertThat(EmulatedKernel.events(m.root())).doesNotContain("region0 committed");
        assertThat(
                        api.get("/api/v1/operations/" + op.path("id").asString() + "/certificate")
                                .status())
                .isEqualTo(404);
        for (JsonNode step : op.path("steps")) {
            if (List.of("invalidate-cache", "reattach-region", "verify")
                    .contains(step.path("name").asString())) {
                assertThat(step.path("state").asString())
                        .as(step.toString())
                        .isNotEqualTo("succeeded");
            }
        }
    }

    private static JsonNode failedStep(JsonNode op) {
        for (JsonNode step : op.path("steps")) {
            if (step.path("state").asString().equals("failed")) {
                return step;
            }
        }
        throw new AssertionError("no failed step in " + op);
    }
}
