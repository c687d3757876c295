package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.host.HostService;
import io.lethe.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent over HTTP on an emulated kernel: its token, its API and the kernel's rules it reports.
 */
class AgentApiTest {

    static final String TOKEN = "agent-token-for-the-api-test-0123";
    static final String PASSPHRASE = "the-locked-device-passphrase";

    @TempDir Path root;
    EmulatedAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private Api start(boolean hypervisor) {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(
                                root, PASSPHRASE, hypervisor, Duration.ofSeconds(3)),
                        TOKEN);
        return new Api(agent.port(), TOKEN);
    }

    private static String json(Object body) {
        return Api.json(body);
    }

    @Test
    void startsOnlyTheAgentWithoutDatabaseOrOrchestrator() {
        start(false);
        assertThat(agent.context().getBeanNamesForType(DataSource.class)).isEmpty();
        assertThat(agent.context().containsBean("hostService")).isFalse();
        assertThat(agent.context().getBeanNamesForType(HostService.class)).isEmpty();
    }

    @Test
    void refusesEveryRequestWithoutTheRightToken() {
        Api api = start(false);
        for (String path :
                List.of(
                        "/agent/v1/inventory",
                        "/agent/v1/devices/0x1000",
                        "/v3/api-docs",
                        "/actuator/health",
                        "/agent/v1/erases/t1",
                        "/nothing-here")) {
            Api.Response none = api.withToken(null).get(path);
            assertThat(none.status()).as(path).isEqualTo(401);
            assertThat(none.contentType()).startsWith("application/problem+json");
            assertThat(api.withToken(TOKEN + "x").get(path).status()).as(path).isEqualTo(401);
            assertThat(api.withToken("agent-token-for-the-api-test-0124").get(path).status())
                    .as(path)
                    .isEqualTo(401);
        }
        assertThat(api.withToken(null).post("/agent/v1/regions/region0/reset", fence()).status())
                .isEqualTo(401);
        assertThat(agent.kernel().read("sys/bus/cxl/devices/region0/commit")).isEqualTo("1");
        assertThat(api.get("/agent/v1/inventory").status()).isEqualTo(200);
    }

    @Test
    void documentsItsApiInOpenApi() {
        Api.Response docs = start(false).get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("paths").propertyNames())
                .contains(
                        "/agent/v1/inventory",
                        "/agent/v1/devices/{serial}/erase",
                        "/agent/v1/erases/{ticket}",
                        "/agent/v1/regions/{region}/commit",
                        "/agent/v1/invalidate");
        assertThat(docs.body()).doesNotContain("/api/v1/hosts");
    }

    @Test
    void reportsTheInventoryAsTheKernelShowsIt() {
        var inventory = start(false).get("/agent/v1/inventory").json();
        assertThat(inventory.path("memdevs")).hasSize(4);
        assertThat(inventory.path("memdevs").get(0).path("serial").asString()).isEqualTo("0x1000");
        assertThat(inventory.path("memdevs").get(0).path("firmwareVersion").asString())
                .isEqualTo("1.4.0");
        assertThat(inventory.path("memdevs").get(0).path("pmemSizeBytes").asLong())
                .isEqualTo(EmulatedKernel.MEDIA);
        assertThat(inventory.path("memdevs").get(2).path("securityState").asString())
                .isEqualTo("locked");
        assertThat(inventory.path("memdevs").get(2).path("unlockAttemptsLeft").asInt())
                .isEqualTo(3);
        assertThat(inventory.path("nvdimms")).hasSize(1);
        assertThat(inventory.path("nvdimms").get(0).path("serial").asString())
                .isEqualTo("0x000d1064");
        var region0 = inventory.path("regions").get(0);
        assertThat(region0.path("name").asString()).isEqualTo("region0");
        assertThat(region0.path("interleaveWays").asInt()).isEqualTo(2);
        assertThat(region0.path("memdevSerials").toString()).isEqualTo("[\"0x1000\",\"0x1001\"]");
        assertThat(region0.path("committed").asBoolean()).isTrue();
        assertThat(region0.path("resource").asLong()).isEqualTo(0x10_0000_0000L);
        assertThat(inventory.path("regions").get(1).path("committed").asBoolean()).isFalse();
        assertThat(inventory.path("cacheInvalidation").asString()).isEqualTo("supported");
    }

    @Test
    void aRegionWhoseTargetsAreNotAllSetIsLeftOutOfTheInventory() throws Exception {
        Api api = start(false);
        // The kernel shows an unset target as an empty line while a region is being assembled.
        Files.writeString(root.resolve("sys/bus/cxl/devices/region0/target1"), "\n");
        Api.Response inventory = api.get("/agent/v1/inventory");
        assertThat(inventory.status()).as(inventory.body()).isEqualTo(200);
        assertThat(inventory.json().path("regions").findValuesAsString("name"))
                .doesNotContain("region0")
                .contains("region2");
    }

    @Test
    void anNvdimmsCapacityIsWhatTheNdRegionsMapOfIt() {
        Api api = start(false);
        var nvdimm = api.get("/agent/v1/inventory").json().path("nvdimms").get(0);
        assertThat(nvdimm.path("name").asString()).isEqualTo("nmem100");
        assertThat(nvdimm.path("sizeBytes").asLong()).isEqualTo(EmulatedKernel.MEDIA);
    }

    @Test
    void refusesAnEraseWhileTheEndpointHasCommittedDecoders() {
        Api api = start(false);
        Api.Response refused =
                api.post(
                        "/agent/v1/devices/0x1000/erase",
                        json(Map.of("method", "sanitize", "ticket", "t1")));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("busy");
        assertThat(refused.text("errno")).isEqualTo("EBUSY");
        assertThat(refused.text("detail")).contains("endpoint", "committed decoder");
        assertThat(agent.kernel().read("sys/bus/cxl/devices/mem0/security/state"))
                .isEqualTo("disabled");
        assertThat(api.get("/agent/v1/erases/t1").text("state")).isEqualTo("not-started");
    }

    @Test
    void sanitizeRunsInTheDeviceThenReadsDisabledAndOneTicketStartsItOnce() {
        Api api = start(false);
        assertThat(
                        api.post("/agent/v1/regions/region0/reset", fence())
                                .json()
                                .path("committed")
                                .asBoolean())
                .isFalse();
        assertThat(agent.kernel().read("sys/bus/cxl/devices/endpoint10/decoders_committed"))
                .isEqualTo("0");
        String body = json(Map.of("method", "sanitize", "ticket", "t2"));
        assertThat(api.post("/agent/v1/devices/0x1000/erase", body).status()).isEqualTo(202);
        assertThat(api.post("/agent/v1/devices/0x1000/erase", body).status()).isEqualTo(202);
        assertThat(root.resolve("sys/bus/cxl/devices/mem0/security/state"))
                .content()
                .isEqualTo("sanitize\n");
        assertThat(api.get("/agent/v1/erases/t2").text("state")).isEqualTo("running");
        assertThat(api.get("/agent/v1/devices/0x1000").text("securityState"))
                .isEqualTo("sanitizing");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/agent/v1/erases/t2").text("state").equals("completed"));
        assertThat(api.get("/agent/v1/erases/t2").text("finishedAt")).isNotBlank();
        assertThat(root.resolve("sys/bus/cxl/devices/mem0/security/state"))
                .content()
                .isEqualTo("disabled\n");
        assertThat(EmulatedKernel.events(root))
                .containsSubsequence(
                        "region0 reset", "mem0 sanitize started", "mem0 sanitize completed");
        assertThat(EmulatedKernel.events(root).stream().filter("mem0 sanitize started"::equals))
                .hasSize(1);
        assertThat(agent.kernel().readMedia("mem0")).containsOnly(0);
    }

    @Test
    void refusesSanitizeWhileAPassphraseIsSetAndWhereTheKernelLacksIt() throws Exception {
        Api api = start(false);
        Api.Response locked =
                api.post(
                        "/agent/v1/devices/0x1002/erase",
                        json(Map.of("method", "sanitize", "ticket", "t3")));
        assertThat(locked.status()).isEqualTo(409);
        assertThat(locked.text("errno"))
                .as("the kernel's answer, given before anything is written")
                .isEqualTo("EINVAL");
        assertThat(locked.text("detail")).contains("passphrase is set");
        Files.delete(root.resolve("sys/bus/cxl/devices/mem3/security/sanitize"));
        api.post("/agent/v1/regions/region2/reset", fence());
        Api.Response missing =
                api.post(
                        "/agent/v1/devices/0x1003/erase",
                        json(Map.of("method", "sanitize", "ticket", "t4")));
        assertThat(missing.status()).isEqualTo(409);
        assertThat(missing.text("code")).isEqualTo("unsupported");
        assertThat(missing.text("detail")).contains("security/sanitize");
        assertThat(
                        api.get("/agent/v1/inventory")
                                .json()
                                .path("memdevs")
                                .get(3)
                                .path("sanitizeSupported")
                                .asBoolean())
                .isFalse();
    }

    @Test
    void countsWrongPassphrasesAndStopsAtTheLimitLeavingNoKeyBehind() {
        Api api = start(false);
        for (int left = 2; left >= 0; left--) {
            Api.Response wrong =
                    api.post(
                            "/agent/v1/devices/0x1002/unlock",
                            json(Map.of("passphrase", "not-it")));
            assertThat(wrong.status()).as(wrong.body()).isEqualTo(422);
            assertThat(wrong.json().path("attemptsLeft").asInt()).isEqualTo(left);
        }
        assertThat(api.get("/agent/v1/devices/0x1002").text("securityState"))
                .isEqualTo("passphrase-limit");
        // The limit shows as frozen in the memdev's security/state; the nmem's security never says
        // frozen.
        assertThat(root.resolve("sys/bus/cxl/devices/mem2/security/state"))
                .content()
                .isEqualTo("frozen\n");
        assertThat(root.resolve("sys/bus/nd/devices/nmem2/frozen")).content().isEqualTo("1\n");
        assertThat(root.resolve("sys/bus/nd/devices/nmem2/security"))
                .content()
                .isEqualTo("locked\n");
        Api.Response right =
                api.post("/agent/v1/devices/0x1002/unlock", json(Map.of("passphrase", PASSPHRASE)));
        assertThat(right.status()).isEqualTo(409);
        assertThat(agent.kernel().keys()).isZero();
    }

    @Test
    void refusesASecureEraseWhileAUserPassphraseIsSetEvenUnlockedWithoutWriting() {
        Api api = start(false);
        assertThat(
                        api.post(
                                        "/agent/v1/devices/0x1002/unlock",
                                        json(Map.of("passphrase", PASSPHRASE)))
                                .status())
                .isEqualTo(204);
        Api.Response refused =
                api.post(
                        "/agent/v1/devices/0x1002/erase",
                        json(Map.of("method", "secure-erase", "ticket", "se1")));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.text("errno")).isEqualTo("EINVAL");
        assertThat(refused.text("detail")).contains("passphrase-erase");
        assertThat(EmulatedKernel.events(root)).noneMatch(e -> e.startsWith("mem2 secure-erase"));
    }

    @Test
    void aWrongPassphraseEraseOfACxlDeviceComesBackAsEnxioAndCountsAsLethesOwnEstimate() {
        Api api = start(false);
        Api.Response wrong =
                api.post(
                        "/agent/v1/devices/0x1002/erase",
                        json(
                                Map.of(
                                        "method",
                                        "passphrase-erase",
                                        "passphrase",
                                        "not-it",
                                        "ticket",
                                        "pe1")));
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(422);
        assertThat(wrong.text("code")).isEqualTo("wrong-passphrase");
        assertThat(wrong.text("errno")).isEqualTo("ENXIO");
        assertThat(wrong.json().path("attemptsLeft").asInt()).isEqualTo(2);
        assertThat(wrong.text("detail")).contains("conservative estimate");
        assertThat(agent.kernel().keys()).isZero();
    }

    @Test
    void aKeyTheKernelCannotUseIsNoWrongPassphraseAndCostsNoAttempt() {
        Api api = start(false);
        agent.kernel().keysUnusable(true);
        Api.Response refused =
                api.post(
                        "/agent/v1/devices/0x1002/erase",
                        json(
                                Map.of(
                                        "method",
                                        "passphrase-erase",
                                        "passphrase",
                                        PASSPHRASE,
                                        "ticket",
                                        "pe2")));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("key-unavailable");
        assertThat(refused.text("errno")).isEqualTo("ENOKEY");
        assertThat(api.get("/agent/v1/devices/0x1002").json().path("unlockAttemptsLeft").asInt())
                .isEqualTo(3);
    }

    @Test
    void aWrongPassphraseEraseOfAnNfitDimmComesBackAsEinvalAndCounts() {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.build(
                                root,
                                false,
                                Duration.ofSeconds(3),
                                List.of(),
                                List.of(new EmulatedKernel.Nvdimm(7, 0xabcdL, PASSPHRASE)),
                                List.of()),
                        TOKEN);
        Api api = new Api(agent.port(), TOKEN);
        assertThat(api.post("/agent/v1/regions/nd-region7/reset", fence()).status()).isEqualTo(200);
        Api.Response wrong =
                api.post(
                        "/agent/v1/devices/0x0000abcd/erase",
                        json(
                                Map.of(
                                        "method",
                                        "passphrase-erase",
                                        "passphrase",
                                        "not-it",
                                        "ticket",
                                        "pe3")));
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(422);
        assertThat(wrong.text("errno")).isEqualTo("EINVAL");
        assertThat(wrong.json().path("attemptsLeft").asInt()).isEqualTo(2);
    }

    @Test
    void aFrozenNvdimmIsReadFromItsFrozenAttributeAndItsCommandsAnswerEio() throws Exception {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.build(
                                root,
                                false,
                                Duration.ofSeconds(3),
                                List.of(),
                                List.of(new EmulatedKernel.Nvdimm(7, 0xabcdL, PASSPHRASE)),
                                List.of()),
                        TOKEN);
        Api api = new Api(agent.port(), TOKEN);
        agent.kernel().write("sys/bus/nd/devices/nmem7/security", "freeze");
        assertThat(root.resolve("sys/bus/nd/devices/nmem7/security"))
                .content()
                .isEqualTo("unlocked\n");
        assertThat(api.get("/agent/v1/devices/0x0000abcd").text("securityState"))
                .isEqualTo("frozen");
        Api.Response refused =
                api.post(
                        "/agent/v1/devices/0x0000abcd/erase",
                        json(
                                Map.of(
                                        "method",
                                        "passphrase-erase",
                                        "passphrase",
                                        PASSPHRASE,
                                        "ticket",
                                        "pe4")));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(
                        api.get("/agent/v1/devices/0x0000abcd")
                                .json()
                                .path("unlockAttemptsLeft")
                                .asInt())
                .as("nothing reached the device")
                .isEqualTo(3);
    }

    @Test
    void unlocksThroughTheKeyringAndTheDriverProbe() {
        Api api = start(false);
        assertThat(
                        api.post(
                                        "/agent/v1/devices/0x1002/unlock",
                                        json(Map.of("passphrase", PASSPHRASE)))
                                .status())
                .isEqualTo(204);
        assertThat(root.resolve("sys/bus/cxl/devices/mem2/security/state"))
                .content()
                .isEqualTo("unlocked\n");
        assertThat(EmulatedKernel.events(root))
                .as(
                        "locked at boot, its probe failed and left it without a driver: bound, not unbound")
                .containsSubsequence("nmem2 unlocked", "nmem2 bound")
                .doesNotContain("nmem2 unbound");
        assertThat(agent.kernel().keys()).isZero();
        assertThat(
                        api.post(
                                        "/agent/v1/devices/0x1002/unlock",
                                        json(Map.of("passphrase", PASSPHRASE)))
                                .status())
                .isEqualTo(204);
    }

    @Test
    void overwritesAnNvdimmThroughItsSecurityAttribute() {
        Api api = start(false);
        assertThat(api.post("/agent/v1/regions/nd-region100/reset", fence()).status())
                .isEqualTo(200);
        assertThat(
                        api.post(
                                        "/agent/v1/devices/0x000d1064/erase",
                                        json(Map.of("method", "overwrite", "ticket", "t5")))
                                .status())
                .isEqualTo(202);
        assertThat(root.resolve("sys/bus/nd/devices/nmem100/security"))
                .content()
                .isEqualTo("overwrite\n");
        assertThat(api.get("/agent/v1/devices/0x000d1064").text("securityState"))
                .isEqualTo("sanitizing");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/agent/v1/erases/t5").text("state").equals("completed"));
        assertThat(root.resolve("sys/bus/nd/devices/nmem100/security"))
                .content()
                .isEqualTo("disabled\n");
        Api.Response wrongKind =
                api.post(
                        "/agent/v1/devices/0x000d1064/erase",
                        json(Map.of("method", "sanitize", "ticket", "t6")));
        assertThat(wrongKind.status()).isEqualTo(400);
    }

    @Test
    void aDevicesShareOfAnInterleavedRegionIsEveryOtherChunkOfTheCpusView() {
        Api api = start(false);
        byte[] bytes = new byte[EmulatedKernel.GRANULARITY * 2 + 88];
        new Random(7).nextBytes(bytes);
        byte[] mem0Before = agent.kernel().readMedia("mem0");
        String body = json(Map.of("data", Base64.getEncoder().encodeToString(bytes)));
        assertThat(
                        api.send(
                                        "PUT",
                                        "/agent/v1/regions/region0/memory?serial=0x1001",
                                        body,
                                        Map.of("Content-Type", "application/json"))
                                .status())
                .isEqualTo(204);
        assertThat(Arrays.copyOf(agent.kernel().readMedia("mem1"), bytes.length)).isEqualTo(bytes);
        assertThat(agent.kernel().readMedia("mem0")).isEqualTo(mem0Before);
        String read =
                api.get("/agent/v1/regions/region0/memory?serial=0x1001&length=" + bytes.length)
                        .text("data");
        assertThat(Base64.getDecoder().decode(read)).isEqualTo(bytes);
        byte[] cpuView = agent.kernel().cpuView(0, 0, EmulatedKernel.GRANULARITY * 2);
        assertThat(
                        Arrays.copyOfRange(
                                cpuView,
                                EmulatedKernel.GRANULARITY,
                                EmulatedKernel.GRANULARITY * 2))
                .as("the second chunk of the region is mem1's first")
                .isEqualTo(Arrays.copyOf(bytes, EmulatedKernel.GRANULARITY));
        api.post("/agent/v1/regions/region0/reset", fence());
        assertThat(api.get("/agent/v1/regions/region0/memory?serial=0x1001").status())
                .as("a reset region cannot be reached")
                .isEqualTo(409);
    }

    @Test
    void theKernelRefusesUnknownNvdimmCommandsWithEinval() {
        start(false);
        Assertions.assertThatThrownBy(
                        () -> agent.kernel().write("sys/bus/nd/devices/nmem2/security", "shred 1"))
                .isInstanceOfSatisfying(
                        SysfsError.class,
                        e -> assertThat(e.errno()).isEqualTo(SysfsError.Errno.EINVAL));
    }

    @Test
    void neverClaimsAnInvalidationInAVirtualMachine() {
        Api api = start(true);
        Api.Response refused = api.post("/agent/v1/invalidate", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("invalidation-unsupported");
        assertThat(refused.text("detail")).contains("hypervisor");
        var inventory = api.get("/agent/v1/inventory").json();
        assertThat(inventory.path("cacheInvalidation").asString()).isEqualTo("unsupported");
        // commit_store() invalidates before a reset as before a commit: both refused in a guest
        Api.Response reset = api.post("/agent/v1/regions/region0/reset", fence());
        assertThat(reset.status()).isEqualTo(409);
        assertThat(reset.text("code")).isEqualTo("invalidation-unsupported");
        assertThat(root.resolve("sys/bus/cxl/devices/region0/commit")).content().isEqualTo("1\n");
        Api.Response commit = api.post("/agent/v1/regions/region1/commit", fence());
        assertThat(commit.status()).isEqualTo(409);
        assertThat(commit.text("errno")).isEqualTo("ENXIO");
        assertThat(commit.text("code")).isEqualTo("invalidation-unsupported");
        assertThat(root.resolve("sys/bus/cxl/devices/region1/commit")).content().isEqualTo("0\n");
    }

    @Test
    void vouchesForTheKernelsInvalidationOnBareMetal() {
        Api api = start(false);
        Api.Response done = api.post("/agent/v1/invalidate", "");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.text("evidence"))
                .contains("bare metal")
                .contains("no invalidation runs now")
                .contains("when it commits the region");
        assertThat(done.text("startedAt")).isNotBlank();
    }

    @Test
    void answersUnknownDevicesAndRegionsWith404AndBadTicketsWith400() {
        Api api = start(false);
        assertThat(api.get("/agent/v1/devices/0x9999").status()).isEqualTo(404);
        assertThat(api.post("/agent/v1/regions/region9/commit", fence()).status()).isEqualTo(404);
        assertThat(api.get("/agent/v1/erases/..%2F..%2Fetc").status()).isIn(400, 404);
        assertThat(
                        api.post(
                                        "/agent/v1/devices/0x1000/erase",
                                        json(Map.of("method", "shred", "ticket", "t7")))
                                .status())
                .isEqualTo(400);
    }

    @Test
    void aReattachBindsTheRegionDriverAgainSoItsDaxDeviceComesBackAndTheShareIsReadable() {
        Api api = start(false);
        Api.Response reset = api.post("/agent/v1/regions/region0/reset", fence());
        assertThat(reset.json().path("committed").asBoolean()).isFalse();
        assertThat(root.resolve("sys/bus/dax/devices/" + EmulatedKernel.daxName("region0")))
                .doesNotExist();
        Api.Response commit = api.post("/agent/v1/regions/region0/commit", fence());
        assertThat(commit.status()).isEqualTo(200);
        assertThat(commit.text("cpuView"))
                .as("found through sysfs, not named after the region")
                .isEqualTo(EmulatedKernel.daxName("region0"))
                .isNotEqualTo("dax0.0");
        assertThat(EmulatedKernel.events(root))
                .containsSubsequence(
                        "region0 driver released",
                        "region0 reset",
                        "region0 caches invalidated",
                        "region0 committed",
                        "region0 bound");
        String data = Base64.getEncoder().encodeToString("canary".getBytes());
        assertThat(
                        api.send(
                                        "PUT",
                                        "/agent/v1/regions/region0/memory?serial=0x1000",
                                        json(Map.of("data", data)),
                                        Map.of("Content-Type", "application/json"))
                                .status())
                .isEqualTo(204);
        assertThat(api.get("/agent/v1/regions/region0/memory?serial=0x1000&length=6").text("data"))
                .isEqualTo(data);
        assertThat(api.post("/agent/v1/regions/region0/commit", fence()).status())
                .as("idempotent")
                .isEqualTo(200);
        assertThat(EmulatedKernel.events(root).stream().filter("region0 bound"::equals)).hasSize(1);
    }

    @Test
    void systemRamOverARegionIsTakenOfflineBeforeTheRegionIsReset() {
        Api api = start(false);
        agent.kernel().systemRam(0, false);
        assertThat(api.post("/agent/v1/regions/region0/reset", fence()).status()).isEqualTo(200);
        List<String> events = EmulatedKernel.events(root);
        assertThat(events).noneMatch(e -> e.contains("System RAM online"));
        assertThat(events.stream().filter(e -> e.endsWith(" offline")).findFirst()).isPresent();
        assertThat(
                        events.indexOf(
                                events.stream()
                                        .filter(e -> e.endsWith(" offline"))
                                        .findFirst()
                                        .orElseThrow()))
                .isLessThan(events.indexOf("region0 driver released"));
    }

    @Test
    void aRegionWhoseSystemRamCannotGoOfflineStaysDecodedWithTheReason() {
        Api api = start(false);
        agent.kernel().systemRam(0, true);
        Api.Response refused = api.post("/agent/v1/regions/region0/reset", fence());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("busy");
        assertThat(refused.text("detail")).contains("System RAM").contains("stays decoded");
        assertThat(agent.kernel().read("sys/bus/cxl/devices/region0/commit")).isEqualTo("1");
    }

    @Test
    void aRegionInSystemRamHasNoCpuViewSoNothingIsClaimedReadBack() {
        Api api = start(false);
        agent.kernel().systemRam(0, false);
        Api.Response read = api.get("/agent/v1/regions/region0/memory?serial=0x1000&length=64");
        assertThat(read.status()).isEqualTo(409);
        assertThat(read.text("code")).isEqualTo("no-cpu-view");
        assertThat(read.text("detail")).contains("System RAM").contains("kmem");
    }

    @Test
    void anNvdimmInAnEnabledRegionIsBusyUntilTheNdRegionIsReset() {
        Api api = start(false);
        var region =
                api.get("/agent/v1/inventory")
                        .json()
                        .path("regions")
                        .valueStream()
                        .filter(r -> r.path("name").asString().equals("nd-region100"))
                        .findFirst()
                        .orElseThrow();
        assertThat(region.path("memdevSerials").get(0).asString()).isEqualTo("0x000d1064");
        assertThat(region.path("committed").asBoolean()).isTrue();
        Api.Response busy =
                api.post(
                        "/agent/v1/devices/0x000d1064/erase",
                        json(Map.of("method", "overwrite", "ticket", "t8")));
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.text("code")).isEqualTo("busy");
        assertThat(busy.text("detail")).contains("nd-region100");
        assertThat(root.resolve("sys/bus/nd/devices/nmem100/security"))
                .content()
                .isEqualTo("disabled\n");
        Api.Response reset = api.post("/agent/v1/regions/nd-region100/reset", fence());
        assertThat(reset.json().path("committed").asBoolean()).isFalse();
        assertThat(EmulatedKernel.events(root)).contains("nd-region100 disabled");
        assertThat(
                        api.post(
                                        "/agent/v1/devices/0x000d1064/erase",
                                        json(Map.of("method", "overwrite", "ticket", "t8")))
                                .status())
                .isEqualTo(202);
    }

    @Test
    void enablingAnNdRegionAfterASecurityCommandInvalidatesAndTheDaxDeviceMapsTheDimm() {
        Api api = start(false);
        api.post("/agent/v1/regions/nd-region100/reset", fence());
        api.post(
                "/agent/v1/devices/0x000d1064/erase",
                json(Map.of("method", "overwrite", "ticket", "t9")));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/agent/v1/erases/t9").text("state").equals("completed"));
        Api.Response commit = api.post("/agent/v1/regions/nd-region100/commit", fence());
        assertThat(commit.status()).as(commit.body()).isEqualTo(200);
        assertThat(commit.text("cpuView")).isEqualTo(EmulatedKernel.daxName("region100"));
        assertThat(EmulatedKernel.events(root))
                .containsSubsequence(
                        "nmem100 overwrite completed",
                        "nd-region100 caches invalidated",
                        "nd-region100 enabled");
        String data = Base64.getEncoder().encodeToString("dimm-canary".getBytes());
        assertThat(
                        api.send(
                                        "PUT",
                                        "/agent/v1/regions/nd-region100/memory?serial=0x000d1064",
                                        json(Map.of("data", data)),
                                        Map.of("Content-Type", "application/json"))
                                .status())
                .isEqualTo(204);
        assertThat(new String(Arrays.copyOf(agent.kernel().readMedia("nmem100"), 11)))
                .isEqualTo("dimm-canary");
    }

    @Test
    void anNdRegionWhoseDimmWasErasedIsNotEnabledInAVirtualMachine() {
        Api api = start(true);
        api.post("/agent/v1/regions/nd-region100/reset", fence());
        api.post(
                "/agent/v1/devices/0x000d1064/erase",
                json(Map.of("method", "overwrite", "ticket", "t10")));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/agent/v1/erases/t10").text("state").equals("completed"));
        Api.Response commit = api.post("/agent/v1/regions/nd-region100/commit", fence());
        assertThat(commit.status()).isEqualTo(409);
        assertThat(commit.text("code")).isEqualTo("invalidation-unsupported");
        assertThat(root.resolve("sys/bus/nd/devices/region100/driver")).doesNotExist();
    }

    @Test
    void anNvdimmWithoutSecurityCommandsReadsDisabledAndItsOverwriteIsUnsupported()
            throws Exception {
        Api api = start(false);
        // drivers/nvdimm/dimm_devs.c nvdimm_visible(): no security attribute where the DIMM has no
        // security ops
        Files.delete(root.resolve("sys/bus/nd/devices/nmem100/security"));
        var nvdimm = api.get("/agent/v1/inventory").json().path("nvdimms").get(0);
        assertThat(nvdimm.path("securityState").asString()).isEqualTo("disabled");
        api.post("/agent/v1/regions/nd-region100/reset", fence());
        Api.Response overwrite =
                api.post(
                        "/agent/v1/devices/0x000d1064/erase",
                        json(Map.of("method", "overwrite", "ticket", "t11")));
        assertThat(overwrite.status()).isEqualTo(409);
        assertThat(overwrite.text("code")).isEqualTo("unsupported");
        assertThat(EmulatedKernel.events(root)).noneMatch(e -> e.contains("overwrite"));
    }

    @Test
    void aKernelWithoutCommitTimeInvalidationIsReportedUnableToInvalidate() throws Exception {
        Api api = start(false);
        Files.writeString(root.resolve("proc/kallsyms"), "0000000000000000 T wbinvd_on_all_cpus\n");
        var inventory = api.get("/agent/v1/inventory").json();
        assertThat(inventory.path("cacheInvalidation").asString()).isEqualTo("unsupported");
        assertThat(inventory.path("cacheInvalidationReason").asString())
                .contains("cpu_cache_invalidate_memregion");
        Api.Response refused = api.post("/agent/v1/invalidate", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("invalidation-unsupported");
    }

    private static final AtomicLong FENCES = new AtomicLong();

    /** A region command's body with a fencing token higher than every one sent before. */
    static String fence() {
        return "{\"fence\": " + FENCES.incrementAndGet() + "}";
    }
}
