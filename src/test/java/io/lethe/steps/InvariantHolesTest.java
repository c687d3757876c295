package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.simulated.SimulatedHardware;
import io.lethe.backend.simulated.SimulatedMachine;
import io.lethe.engine.PassphraseVault;
import io.lethe.engine.StepDriver;
import io.lethe.support.Api;
import io.lethe.support.OperationJson;
import io.lethe.support.TestInventory;
import io.lethe.support.VirtualClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The holes a review found in the commit barrier, each replayed step by step on the real engine
 * with time and the scheduler in the test's hands, and judged by what the simulated CPU reads.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "db-scheduler.polling-interval=1h",
            "lethe.workflow.erase-timeout=PT1S",
            "lethe.workflow.erase-poll-interval=PT0.2S",
            "lethe.workflow.coalescing-window=PT1S"
        })
@Import({InvariantHolesTest.Clocks.class, PausingBackends.class})
class InvariantHolesTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {
        @Bean
        @Primary
        VirtualClock virtualClock() {
            return new VirtualClock(Instant.parse("2032-01-01T00:00:00Z"));
        }
    }

    @LocalServerPort int port;
    @Autowired VirtualClock clock;
    @Autowired ApplicationContext context;
    @Autowired JdbcTemplate jdbc;

    Api api;
    StepDriver driver;
    SimulatedHardware hardware;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        driver = new StepDriver(context);
        hardware = new SimulatedHardware(context);
        clock.skew(Duration.ZERO);
    }

    @Test
    void aCancelNeverCommitsARegionWhoseOtherMemberFinishedAnEraseUnseen() {
        UUID host = host(Map.of("erase", "PT2S", "detach-region", "PT0S"));
        String a = device(host, "A");
        String b = device(host, "B");
        String region = region(host, a, b);
        List<byte[]> tenantLines = tenantWrites(host, region, a);

        String erase =
                api.post("/api/v1/devices/" + a + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        runFor(Duration.ofSeconds(3));
        assertThat(operation(erase).get("error").asString())
                .contains("did not complete within PT1S");
        assertThat(api.get("/api/v1/devices/" + a).text("status")).isEqualTo("quarantined");
        // The device finishes the erase nobody saw end.
        clock.advance(Duration.ofSeconds(5));
        hardware.change(
                host,
                m -> {
                    m.settle(clock.trueNow());
                    return null;
                });

        // An operation on the other member is cancelled before its erase: the cancel lets go of the
        // region.
        String other =
                api.post("/api/v1/devices/" + b + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        assertThat(api.delete("/api/v1/operations/" + other).status()).isEqualTo(202);
        runFor(Duration.ofSeconds(2));
        assertThat(operation(other).get("state").asString()).isEqualTo("cancelled");

        assertThat(api.get("/api/v1/regions/" + region).text("state")).isEqualTo("detached");
        assertThat(readThroughCpu(host, region, a))
                .as("the tenant's lines of the erased device")
                .noneMatch(line -> tenantLines.stream().anyMatch(t -> Arrays.equals(t, line)));
    }

    @Test
    void aCancelDuringTheDetachRecordsTheCommitItMakes() throws Exception {
        UUID host = host(Map.of("detach-region", "PT1S"));
        String a = device(host, "A");
        String b = device(host, "B");
        String region = region(host, a, b);
        tenantWrites(host, region, b);

        String erase =
                api.post("/api/v1/devices/" + a + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        // The execution runs the precheck, then sits in the detach's hardware call; the cancel
        // lands meanwhile, so the operation is cancelled when the detach is recorded.
        Thread execution = new Thread(driver::runDue);
        execution.start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> "running".equals(stepState(erase, "detach-region")));
        assertThat(api.delete("/api/v1/operations/" + erase).status()).isEqualTo(202);
        execution.join(10_000);
        runFor(Duration.ofSeconds(2));
        assertThat(operation(erase).get("state").asString()).isEqualTo("cancelled");

        boolean decoded = hardware.read(host, m -> m.regions.get(region).decoded);
        assertThat(api.get("/api/v1/regions/" + region).text("state"))
                .as("Lethe's record of the region against the hardware's decoders")
                .isEqualTo(decoded ? "attached" : "detached");
        assertThat(commitClaim(region)).as("no commit claim is left pending").isNull();
    }

    @Test
    void aCommitThatLandsAfterALaterDetachIsRefusedByItsFencingToken() throws Exception {
        UUID host = host(Map.of("erase", "PT0.5S"));
        String a = device(host, "A");
        String b = device(host, "B");
        String region = region(host, a, b);
        String cancelled =
                api.post("/api/v1/devices/" + a + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        assertThat(api.delete("/api/v1/operations/" + cancelled).status()).isEqualTo(202);
        // The cancel claims the region's commit; its hardware call stalls (a slow host, a replica
        // paused by the garbage collector) and lands much later.
        PausingBackends.arm("commitUnlessSuperseded");
        Thread late = new Thread(driver::runDue, "stalled-replica");
        late.start();
        try {
            assertThat(PausingBackends.awaitReached(10_000)).isTrue();
            // 61 s later (beyond twice the step timeout, the old supersession window), another
            // replica erases B.
            clock.advance(Duration.ofSeconds(61));
            String erase =
                    api.post("/api/v1/devices/" + b + "/secure-erase", "{\"method\": \"sanitize\"}")
                            .id();
            driver.runDue();
            assertThat(stepState(erase, "detach-region")).isEqualTo("succeeded");
            assertThat(stepState(erase, "erase")).isIn("running", "succeeded");
            // B's erase ends in the hardware; then the stalled commit lands.
            clock.advance(Duration.ofSeconds(1));
            hardware.change(
                    host,
                    m -> {
                        m.settle(clock.trueNow());
                        return null;
                    });
        } finally {
            PausingBackends.release();
            late.join(10_000);
        }
        boolean decoded = hardware.read(host, m -> m.regions.get(region).decoded);
        assertThat(decoded).as("the late commit decodes the region during B's erase").isFalse();
        assertThat(api.get("/api/v1/regions/" + region).text("state")).isEqualTo("detached");
        assertThat(operation(cancelled).get("state").asString()).isEqualTo("cancelled");
    }

    @Test
    void aCancelBeforeAnyDetachLeavesNoClaimBehind() {
        UUID host = host(Map.of("erase", "PT0.1S"));
        String a = device(host, "A");
        String region = region(host, a);
        String cancelled =
                api.post("/api/v1/devices/" + a + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        assertThat(api.delete("/api/v1/operations/" + cancelled).status()).isEqualTo(202);
        driver.runDue();
        assertThat(operation(cancelled).get("state").asString()).isEqualTo("cancelled");
        assertThat(commitClaim(region)).as("no commit claim is left pending").isNull();

        // The next erase detaches at once instead of waiting for a claim to go stale.
        String erase =
                api.post("/api/v1/devices/" + a + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        driver.runDue();
        assertThat(stepState(erase, "detach-region")).isEqualTo("succeeded");
    }

    @Test
    void aRegionDeclaredWhereARemovedOneDecodedWaitsForAnInvalidation() {
        UUID host = host(Map.of("erase", "PT0.1S"));
        String a = passphraseDevice(host, "A", "the-right-one");
        String first = region(host, a);
        long base = api.get("/api/v1/regions/" + first).json().get("baseAddress").asLong();
        List<byte[]> tenantLines = tenantWrites(host, first, a);

        // A passphrase erase whose passphrase this replica no longer holds (it restarted): the
        // region was detached, nothing reached the device, so no invalidation ran. Its lines are
        // still cached.
        String refused =
                api.post(
                                "/api/v1/devices/" + a + "/secure-erase",
                                "{\"method\": \"passphrase-erase\", \"passphrase\": \"the-right-one\"}")
                        .id();
        context.getBean(PassphraseVault.class).forget(UUID.fromString(refused));
        runFor(Duration.ofSeconds(5));
        assertThat(operation(refused).get("error").asString()).contains("nothing was sent");
        assertThat(operation(refused).get("state").asString()).isEqualTo("failed");
        assertThat(api.get("/api/v1/devices/" + a).text("status")).isEqualTo("available");
        assertThat(api.delete("/api/v1/regions/" + first).status()).isEqualTo(204);

        // A region over another device, at the same addresses.
        String c = device(host, "C");
        var second = TestInventory.region(api, host, List.of(c), 1048576L);
        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        assertThat(second.json().get("baseAddress").asLong()).isEqualTo(base);
        assertThat(second.text("state")).isEqualTo("detached");
        boolean decoded = hardware.read(host, m -> m.regions.get(second.id()).decoded);
        assertThat(decoded).as("the hardware decodes the new region over cached lines").isFalse();

        // Its attach operation invalidates the host's caches first (the range's lines are gone),
        // then commits it through the one commit path.
        String attach = second.json().get("attachOperationId").asString();
        long before = invalidations(host);
        runFor(Duration.ofSeconds(3));
        assertThat(operation(attach).get("state").asString()).isEqualTo("succeeded");
        assertThat(operation(attach).get("type").asString()).isEqualTo("attach-region");
        assertThat(invalidations(host)).isEqualTo(before + 1);
        assertThat(api.get("/api/v1/regions/" + second.id()).text("state")).isEqualTo("attached");
        assertThat(decodes(host, second.id())).isTrue();
        assertThat(readThroughCpu(host, second.id(), c))
                .as("A's tenant lines read through C's share")
                .noneMatch(line -> tenantLines.stream().anyMatch(t -> Arrays.equals(t, line)));
    }

    @Test
    void onAHostThatCannotInvalidateARangeThatDecodedIsRefused() {
        UUID host =
                hostWithBackend(
                        Map.<String, Object>of("type", "simulated-x86", "virtualized", true));
        String a = device(host, "A");
        String first = region(host, a);
        // Lethe cannot erase here. Removal needs the region detached, so its decoders are reset
        // (on the hardware and in Lethe's record) as a reset that raced a failure would leave them.
        hardware.change(
                host,
                m -> {
                    m.regions.get(first).decoded = false;
                    return null;
                });
        jdbc.update("update regions set state = 'detached' where id = ?", UUID.fromString(first));
        assertThat(api.delete("/api/v1/regions/" + first).status()).isEqualTo(204);
        var refused = TestInventory.region(api, host, List.of(device(host, "C")), 1048576L);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("range-not-invalidated");
        assertThat(refused.contentType()).contains("application/problem+json");
    }

    @Test
    void aCancelNeverCommitsARegionWithARetiredMember() {
        UUID host = host(Map.of("erase", "PT0.1S"));
        String a = device(host, "A");
        String b = device(host, "B");
        String region = region(host, a, b);
        String decommission =
                api.post("/api/v1/devices/" + a + "/decommission", "{\"method\": \"sanitize\"}")
                        .id();
        runFor(Duration.ofSeconds(3));
        assertThat(operation(decommission).get("state").asString()).isEqualTo("succeeded");

        String other =
                api.post("/api/v1/devices/" + b + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        assertThat(api.delete("/api/v1/operations/" + other).status()).isEqualTo(202);
        runFor(Duration.ofSeconds(2));
        assertThat(operation(other).get("state").asString()).isEqualTo("cancelled");
        assertThat(api.get("/api/v1/regions/" + region).text("state")).isEqualTo("detached");
        boolean decoded = hardware.read(host, m -> m.regions.get(region).decoded);
        assertThat(decoded).as("the hardware's decoders").isFalse();

        // A secure erase of the remaining member does not bring the retired one back either.
        String erase =
                api.post("/api/v1/devices/" + b + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        runFor(Duration.ofSeconds(3));
        assertThat(operation(erase).get("state").asString()).isEqualTo("succeeded");
        assertThat(OperationJson.step(operation(erase), "reattach-region").get("detail").asString())
                .contains("retired");
        assertThat(api.get("/api/v1/regions/" + region).text("state")).isEqualTo("detached");

        // The way out, as the README says: remove the region, declare a new one without the retired
        // member.
        assertThat(api.delete("/api/v1/regions/" + region).status()).isEqualTo(204);
        var declared =
                api.post(
                        "/api/v1/hosts/" + host + "/regions",
                        Api.json(
                                Map.of(
                                        "name",
                                        "region1",
                                        "deviceIds",
                                        List.of(b),
                                        "sizeBytes",
                                        1048576)));
        assertThat(declared.status()).as(declared.toString()).isEqualTo(201);
        String attach = declared.json().get("attachOperationId").asString();
        runFor(Duration.ofSeconds(1));
        assertThat(operation(attach).get("state").asString()).isEqualTo("succeeded");
        assertThat(api.get("/api/v1/regions/" + declared.id()).text("state")).isEqualTo("attached");
    }

    @Test
    void anUnlockOnAReplicaWhoseClockIsBehindIsNotCoveredByAnEarlierInvalidation() {
        UUID host = host(Map.of("erase", "PT0.1S"));
        String locked = lockedDevice(host, "L", "unlock-me");
        String b = device(host, "B");
        region(host, locked, b);

        // A replica 5 s ahead runs the erase of b and its invalidation.
        clock.skew(Duration.ofSeconds(5));
        String erase =
                api.post("/api/v1/devices/" + b + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        runFor(Duration.ofSeconds(30));
        assertThat(stepState(erase, "invalidate-cache"))
                .as(() -> operation(erase).toString())
                .isEqualTo("succeeded");
        long before = invalidations(host);

        // Then a replica on time unlocks the other member: its change ends after that invalidation.
        clock.skew(Duration.ZERO);
        String unlock =
                api.post("/api/v1/devices/" + locked + "/unlock", "{\"passphrase\": \"unlock-me\"}")
                        .id();
        runFor(Duration.ofSeconds(2));
        assertThat(operation(unlock).get("state").asString()).isEqualTo("succeeded");
        assertThat(invalidations(host))
                .as("the unlock had an invalidation of its own")
                .isEqualTo(before + 1);
        assertThat(
                        OperationJson.step(operation(unlock), "invalidate-cache")
                                .get("detail")
                                .asString())
                .doesNotContain("served by");
    }

    @Test
    void aRegionIsDeclaredOnlyOverMembersWhoseMemoryTheBarrierCanVouchFor() {
        UUID host = host(Map.of("erase", "PT30S"));
        String busy = device(host, "BUSY");
        api.post("/api/v1/devices/" + busy + "/secure-erase", "{\"method\": \"sanitize\"}");
        var refused =
                api.post(
                        "/api/v1/hosts/" + host + "/regions",
                        Api.json(
                                Map.of(
                                        "name",
                                        "over-busy",
                                        "deviceIds",
                                        List.of(busy),
                                        "sizeBytes",
                                        1048576)));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).contains("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains("busy");

        String locked = lockedDevice(host, "LOCKED", "secret");
        String free = device(host, "FREE");
        var detached =
                api.post(
                        "/api/v1/hosts/" + host + "/regions",
                        Api.json(
                                Map.of(
                                        "name",
                                        "over-locked",
                                        "deviceIds",
                                        List.of(locked, free),
                                        "sizeBytes",
                                        2 * 1048576)));
        assertThat(detached.status()).isEqualTo(201);
        assertThat(detached.text("state")).isEqualTo("detached");
        assertThat(detached.json().get("attachOperationId").isNull())
                .as("a locked member's unlock attaches the region: " + detached)
                .isTrue();
    }

    @Test
    void aDeclaredRegionDecodesOnlyThroughItsAttachOperation() {
        UUID host = host(Map.of("erase", "PT1S"));
        String a = device(host, "A");
        String b = device(host, "B");
        var declared = TestInventory.region(api, host, List.of(a, b), 2 * 1048576L);
        assertThat(declared.status()).as(declared.toString()).isEqualTo(201);
        assertThat(declared.text("state")).isEqualTo("detached");
        assertThat(decodes(host, declared.id())).isFalse();
        String attach = declared.json().get("attachOperationId").asString();
        JsonNode queued = operation(attach);
        assertThat(queued.get("type").asString()).isEqualTo("attach-region");
        assertThat(queued.get("deviceId").asString()).isEqualTo(a);
        assertThat(queued.get("steps").valueStream().map(st -> st.get("name").asString()))
                .containsExactly("invalidate-cache", "attach-region");
        var held = api.delete("/api/v1/regions/" + declared.id());
        assertThat(held.status()).as(held.toString()).isEqualTo(409);
        assertThat(api.get("/api/v1/devices/" + a).text("status"))
                .as("the attach holds no device")
                .isEqualTo("available");
        long before = invalidations(host);
        double attachesBefore = attachesSucceeded();

        runFor(Duration.ofSeconds(1));
        assertThat(operation(attach).get("state").asString()).isEqualTo("succeeded");
        assertThat(attachesSucceeded()).isEqualTo(attachesBefore + 1);
        assertThat(stepDetail(attach, "invalidate-cache")).contains("nothing to invalidate");
        assertThat(invalidations(host))
                .as("no other region decoded there: nothing to cover")
                .isEqualTo(before);
        assertThat(api.get("/api/v1/regions/" + declared.id()).text("state")).isEqualTo("attached");
        assertThat(decodes(host, declared.id())).isTrue();
    }

    @Test
    void anAttachThatCannotCommitFailsAndLeavesTheRegionDetached() {
        UUID host = host(Map.of("erase", "PT1S"));
        String a = device(host, "A");
        var declared = TestInventory.region(api, host, List.of(a), 1048576L);
        String attach = declared.json().get("attachOperationId").asString();
        // The member's memory became untrusted before the attach ran.
        jdbc.update("update devices set status = 'quarantined' where id = ?", UUID.fromString(a));

        runFor(Duration.ofSeconds(1));
        JsonNode failed = operation(attach);
        assertThat(failed.get("state").asString()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.get("error").asString()).contains("quarantined");
        assertThat(api.get("/api/v1/regions/" + declared.id()).text("state")).isEqualTo("detached");
        assertThat(decodes(host, declared.id())).isFalse();
        assertThat(api.get("/api/v1/devices/" + a).text("status")).isEqualTo("quarantined");
    }

    @Test
    void aRegionThatDecodesOrIsHeldCannotBeRemoved() {
        UUID host = host(Map.of("erase", "PT30S"));
        String a = device(host, "A");
        String region = region(host, a);
        assertThat(api.delete("/api/v1/regions/" + region).status()).isEqualTo(409);
        api.post("/api/v1/devices/" + a + "/secure-erase", "{\"method\": \"sanitize\"}");
        runFor(Duration.ofSeconds(1));
        var refused = api.delete("/api/v1/regions/" + region);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("hold");
    }

    @Test
    void verifyFailsWhenTheCanaryIsStillReadableThroughTheCpusView() {
        UUID host = host(Map.of("erase", "PT0.2S"), Map.of("reattach-region", "fail-once"));
        String a = device(host, "A");
        String region = region(host, a);
        // The region's attach spent the one failure of the commit: the erase's reattach is to fail.
        hardware.change(
                host,
                m -> {
                    m.consumedFaults.clear();
                    return null;
                });
        String op =
                api.post("/api/v1/devices/" + a + "/secure-erase", "{\"method\": \"sanitize\"}")
                        .id();
        driver.runDue();
        // The precheck wrote the canary through the CPU: it sits in the cache over the device's
        // lines.
        List<byte[]> canary =
                hardware.read(
                        host,
                        m ->
                                m.linesOf(UUID.fromString(region), UUID.fromString(a)).stream()
                                        .map(line -> m.cache.get(line).data.clone())
                                        .toList());
        for (int i = 0; i < 20 && !"reattach-region".equals(current(op)); i++) {
            clock.advance(Duration.ofMillis(250));
            driver.runDue();
        }
        assertThat(stepState(op, "invalidate-cache")).isEqualTo("succeeded");
        // As if the invalidation had missed them: the canary lines are back in the cache before the
        // commit.
        hardware.change(
                host,
                m -> {
                    List<Long> lines = m.linesOf(UUID.fromString(region), UUID.fromString(a));
                    for (int i = 0; i < lines.size(); i++) {
                        SimulatedMachine.CacheLine line = new SimulatedMachine.CacheLine();
                        line.data = canary.get(i);
                        m.cache.put(lines.get(i), line);
                    }
                    return null;
                });
        runFor(Duration.ofSeconds(3));
        var result = operation(op);
        assertThat(result.get("state").asString()).as(result.toString()).isEqualTo("failed");
        assertThat(result.get("error").asString())
                .startsWith("verify:")
                .contains("stale cache lines");
        assertThat(api.get("/api/v1/devices/" + a).text("status")).isEqualTo("quarantined");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private String current(String operation) {
        for (var step : operation(operation).get("steps")) {
            if (List.of("pending", "running").contains(step.get("state").asString())) {
                return step.get("name").asString();
            }
        }
        return null;
    }

    private void runFor(Duration total) {
        Instant end = clock.trueNow().plus(total);
        while (clock.trueNow().isBefore(end)) {
            driver.runDue();
            clock.advance(Duration.ofMillis(250));
        }
        driver.runDue();
    }

    private UUID host(Map<String, String> latencies) {
        return host(latencies, Map.of());
    }

    private UUID host(Map<String, String> latencies, Map<String, String> faults) {
        return hostWithBackend(
                Map.<String, Object>of(
                        "type", "simulated-x86", "latencies", latencies, "faults", faults));
    }

    private UUID hostWithBackend(Map<String, Object> backend) {
        return UUID.fromString(
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "holes-" + UUID.randomUUID(),
                                                "backend",
                                                backend)))
                        .id());
    }

    private String device(UUID host, String serial) {
        return TestInventory.device(api, host, serial + "-" + UUID.randomUUID());
    }

    private String lockedDevice(UUID host, String serial, String passphrase) {
        return deviceWithPassphrase(host, serial, "locked", passphrase);
    }

    private String passphraseDevice(UUID host, String serial, String passphrase) {
        return deviceWithPassphrase(host, serial, "unlocked", passphrase);
    }

    private String deviceWithPassphrase(
            UUID host, String serial, String securityState, String passphrase) {
        return api.post(
                        "/api/v1/hosts/" + host + "/devices",
                        Api.json(
                                Map.of(
                                        "serial",
                                        serial + "-" + UUID.randomUUID(),
                                        "kind",
                                        "cxl-memdev",
                                        "capacityBytes",
                                        1048576,
                                        "securityState",
                                        securityState,
                                        "passphrase",
                                        passphrase)))
                .id();
    }

    /**
     * Declares a region and lets its attach-region operation commit it (none is started over a
     * locked member: its unlock attaches the region).
     */
    private String region(UUID host, String... members) {
        var region = TestInventory.region(api, host, List.of(members), members.length * 1048576L);
        assertThat(region.status()).as(region.toString()).isEqualTo(201);
        assertThat(region.text("state")).isEqualTo("detached");
        if (region.json().get("attachOperationId").isNull()) {
            return region.id();
        }
        String attach = region.json().get("attachOperationId").asString();
        runFor(Duration.ofSeconds(1));
        assertThat(operation(attach).get("state").asString()).isEqualTo("succeeded");
        assertThat(api.get("/api/v1/regions/" + region.id()).text("state")).isEqualTo("attached");
        return region.id();
    }

    /**
     * The tenant writes a pattern over the device's lines through the CPU; they stay dirty in the
     * cache.
     */
    private List<byte[]> tenantWrites(UUID host, String region, String device) {
        return hardware.change(
                host,
                m -> {
                    List<byte[]> written = new ArrayList<>();
                    for (Long line : m.linesOf(UUID.fromString(region), UUID.fromString(device))) {
                        byte[] data = new byte[SimulatedMachine.LINE];
                        Arrays.fill(data, (byte) 0x5A);
                        data[0] = (byte) line.longValue();
                        m.cpuWrite(line, data);
                        written.add(data);
                    }
                    return written;
                });
    }

    private List<byte[]> readThroughCpu(UUID host, String region, String device) {
        return hardware.read(
                host,
                m ->
                        m.linesOf(UUID.fromString(region), UUID.fromString(device)).stream()
                                .map(m::cpuRead)
                                .toList());
    }

    private JsonNode operation(String id) {
        return api.get("/api/v1/operations/" + id).json();
    }

    private String stepState(String operation, String step) {
        return OperationJson.step(operation(operation), step).get("state").asString();
    }

    private double attachesSucceeded() {
        return context.getBean(MeterRegistry.class)
                .get("lethe.operations")
                .tags("type", "attach-region", "outcome", "succeeded")
                .counter()
                .count();
    }

    private boolean decodes(UUID host, String region) {
        return hardware.read(host, m -> m.regions.get(region).decoded);
    }

    private String stepDetail(String operation, String step) {
        return OperationJson.step(operation(operation), step).get("detail").asString();
    }

    private UUID commitClaim(String region) {
        return jdbc.queryForObject(
                "select commit_claim from regions where id = ?",
                UUID.class,
                UUID.fromString(region));
    }

    private long invalidations(UUID host) {
        return jdbc.queryForObject(
                "select coalesce(sum(invalidations), 0) from host_invalidations where host_id = ?",
                Long.class,
                host);
    }
}
