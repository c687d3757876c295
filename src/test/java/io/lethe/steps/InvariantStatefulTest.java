package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import io.lethe.backend.simulated.SimulatedHardware;
import io.lethe.backend.simulated.SimulatedMachine;
import io.lethe.common.WireEnum;
import io.lethe.device.SecurityState;
import io.lethe.engine.OperationState;
import io.lethe.engine.PassphraseVault;
import io.lethe.engine.StepDriver;
import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import io.lethe.support.VirtualClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
 * Lethe's promise, held against its own engine. Each seed builds a few simulated hosts with
 * multi-member regions and plays a random program against the real services and sequencer: secure
 * erases, unlocks (right and wrong passphrases), decommissions, batches, cancels at any moment,
 * erases that outlive the erase timeout, deadline expiry, injected backend faults, replicas whose
 * clocks disagree by seconds or by a minute, crashes of a replica before a transaction commits (the
 * execution is then run again, as db-scheduler runs a dead replica's), regions removed and declared
 * again at the same addresses, and regions the host's own tools program that Lethe discovers
 * ({@link HostTooling}). The test owns time (a {@link VirtualClock}) and the scheduler
 * (db-scheduler never polls here: the test runs what is due), and plays the tenant, writing tagged
 * lines through the simulated CPU.
 *
 * <p>The oracle is physical, read from the simulated hardware, not from Lethe's records: whenever a
 * region decodes, no line written or held before the last completed erase of any member is readable
 * through the CPU's view, no poison cached while a member was locked is readable after its unlock,
 * and no retired (decommissioned) device is in a decoding region. Two checks on the records name
 * what went wrong earlier: every invalidation that served an operation was numbered after the
 * operation's media change, and no operation is failed by the barrier refusing its own commit (the
 * engine never asks to commit before it invalidated).
 *
 * <p>{@code -Dlethe.invariant.seeds=N} runs more seeds; {@code -Dlethe.invariant.seed=S} one.
 * docs/invariant.md lists the mutations of the engine this test catches and with which seeds.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "db-scheduler.polling-interval=1h",
            "lethe.workflow.erase-timeout=PT20S",
            "lethe.workflow.operation-deadline=PT3M",
            "lethe.workflow.coalescing-window=PT2S",
            "lethe.workflow.max-erases-per-host=2",
            "lethe.workflow.retry-backoff=PT1S",
            "lethe.workflow.erase-poll-interval=PT1S",
            "lethe.workflow.step-timeout=PT10S",
            "lethe.security.unlock-attempts-per-hour=100000"
        })
@Import(InvariantStatefulTest.Clocks.class)
class InvariantStatefulTest {

    private static final long MAGIC = 0x4C45544845544147L;
    private static final int ACTIONS = Integer.getInteger("lethe.invariant.actions", 90);

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {
        @Bean
        @Primary
        VirtualClock virtualClock() {
            return new VirtualClock(Instant.parse("2031-01-01T00:00:00Z"));
        }

        @Bean
        static PausingBackends pausingBackends() {
            return new PausingBackends();
        }
    }

    @LocalServerPort int port;
    @Autowired VirtualClock clock;
    @Autowired JdbcTemplate jdbc;
    @Autowired ApplicationContext context;

    static Stream<Long> seeds() {
        Long one = Long.getLong("lethe.invariant.seed");
        if (one != null) {
            return Stream.of(one);
        }
        return LongStream.rangeClosed(1, Long.getLong("lethe.invariant.seeds", 20)).boxed();
    }

    @BeforeAll
    static void crashesCanBeInjected(@Autowired JdbcTemplate jdbc) {
        jdbc.execute(
                "create trigger if not exists crash_before_commit before insert on audit_records for each row call \""
                        + CrashBeforeCommit.class.getName()
                        + "\"");
    }

    @AfterAll
    static void noMoreCrashes(@Autowired JdbcTemplate jdbc) {
        CrashBeforeCommit.disarm();
        jdbc.execute("drop trigger if exists crash_before_commit");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void whateverTheEngineIsAskedToDoNoRegionDecodesStaleData(long seed) {
        World world = new World(seed);
        for (int step = 0; step < ACTIONS; step++) {
            String action = world.act();
            world.check("after action " + step + " (" + action + ")");
        }
        world.drain();
        world.check("after draining");
        assertThat(world.unfinished()).as("seed %d: every operation ended", seed).isEmpty();
        System.out.println("seed " + seed + ": " + world.summary());
        if (Boolean.getBoolean("lethe.invariant.trace")) {
            System.out.println(String.join("\n  ", world.log));
        }
    }

    /** One seed's hosts, devices, operations and tenant, driven by one random source. */
    final class World {

        final long seed;
        final Random random;
        final Api api = new Api(port);
        final SimulatedHardware hardware = new SimulatedHardware(context);
        final StepDriver driver = new StepDriver(context);
        final List<Dev> devices = new ArrayList<>();
        final List<UUID> hosts = new ArrayList<>();
        final List<String> operations = new ArrayList<>();
        final Map<String, Set<String>> seenErases = new HashMap<>();
        final List<String> log = new ArrayList<>();
        long written;
        int outsideBases;
        int discovered;
        int skippedDiscoveries;
        final HostTooling tooling = new HostTooling(jdbc, hardware);
        UUID lastHost;
        int deaths;

        /**
         * Lines Lethe wrote through the CPU (its verify canaries), with the writer's device
         * generation then.
         */
        final Map<String, int[]> canaries = new ConcurrentHashMap<>();

        /**
         * Per host, the number each invalidation had claimed when it reached the backend (read from
         * the host's row as the call starts): an invalidation must be recorded with the number it
         * took before it began, never one taken after.
         */
        final Map<UUID, Set<Long>> claimedAtCall = new ConcurrentHashMap<>();

        World(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            PausingBackends.cpuWrites =
                    (device, pattern) ->
                            devices.stream()
                                    .filter(d -> d.id.equals(device))
                                    .findFirst()
                                    .ifPresent(
                                            d ->
                                                    canaries.put(
                                                            HexFormat.of()
                                                                    .formatHex(
                                                                            Arrays.copyOf(
                                                                                    pattern,
                                                                                    SimulatedMachine
                                                                                            .LINE)),
                                                            new int[] {d.index, d.generation}));
            PausingBackends.invalidationStarts =
                    host -> {
                        Long claimed =
                                jdbc.queryForObject(
                                        "select max(claim_seq) from host_invalidations where host_id = ?",
                                        Long.class,
                                        host);
                        if (claimed != null) {
                            claimedAtCall
                                    .computeIfAbsent(host, h -> ConcurrentHashMap.newKeySet())
                                    .add(claimed);
                        }
                    };
            PausingBackends.inventories =
                    host -> hosts.contains(host) ? tooling.inventory(host) : null;
            clock.skew(Duration.ZERO);
            CrashBeforeCommit.disarm();
            for (int h = 0; h < 3; h++) {
                addHost(h);
            }
            // The previous tenant's lines are in every decoding region's cache before anything
            // starts.
            for (int h = 0; h < 3; h++) {
                tenant(hosts.get(h), true);
            }
        }

        private void addHost(int h) {
            Map<String, String> faults = new LinkedHashMap<>();
            // Host 0 is healthy; the others get faults, and host 2's erases may outlive the erase
            // timeout.
            switch (h == 0 ? 3 : random.nextInt(4)) {
                case 0 -> faults.put("invalidate-cache", "fail-once");
                case 1 -> faults.put("invalidate-cache", "fail");
                case 2 -> {
                    faults.put("erase", "fail-once");
                    faults.put("reattach-region", "fail-once");
                }
                default -> {}
            }
            // Some hosts' erases outlive the erase timeout (20 s): their operations fail with the
            // erase's outcome unknown.
            String erase = h == 2 ? "PT45S" : "PT" + (2 + random.nextInt(8)) + "S";
            Map<String, Object> backend = new LinkedHashMap<>();
            backend.put("type", "simulated-x86");
            backend.put("latencies", Map.of("erase", erase));
            backend.put("faults", faults);
            UUID host =
                    UUID.fromString(
                            api.post(
                                            "/api/v1/hosts",
                                            Api.json(
                                                    Map.of(
                                                            "name",
                                                            "inv-"
                                                                    + seed
                                                                    + "-"
                                                                    + h
                                                                    + "-"
                                                                    + UUID.randomUUID(),
                                                            "labels",
                                                            Map.of("seed", Long.toString(seed)),
                                                            "backend",
                                                            backend)))
                                    .id());
            hosts.add(host);
            log.add("host " + h + " faults " + faults + " erase " + erase);
            int ways = random.nextBoolean() ? 2 : 4;
            List<Dev> members = new ArrayList<>();
            for (int d = 0; d < ways + 1; d++) {
                // The second device has a passphrase on a third of hosts, locked, and on another
                // third unlocked (what passphrase erases and their refusals need).
                int security = d == 1 ? random.nextInt(3) : 2;
                boolean locked = security == 0;
                boolean withPassphrase = security < 2;
                boolean nvdimm = d == ways;
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("serial", "INV-" + UUID.randomUUID());
                body.put("kind", nvdimm ? "nvdimm" : "cxl-memdev");
                body.put("capacityBytes", 1048576);
                String passphrase = "pass-" + seed + "-" + h + "-" + d;
                if (withPassphrase) {
                    body.put("securityState", locked ? "locked" : "unlocked");
                    body.put("passphrase", passphrase);
                }
                Dev dev =
                        new Dev(
                                devices.size(),
                                host,
                                UUID.fromString(
                                        api.post(
                                                        "/api/v1/hosts/" + host + "/devices",
                                                        Api.json(body))
                                                .id()),
                                nvdimm,
                                withPassphrase ? passphrase : null);
                devices.add(dev);
                if (!nvdimm) {
                    members.add(dev);
                }
            }
            // The nvdimm stays out of any region: an operation without region steps on the same
            // host.
            var region =
                    TestInventory.region(
                            api,
                            host,
                            members.stream().map(m -> m.id.toString()).toList(),
                            members.size() * 1048576L);
            assertThat(region.status()).as(region.toString()).isEqualTo(201);
            // Its attach operation commits it (none over a locked member: the unlock attaches it).
            if (!region.json().get("attachOperationId").isNull()) {
                String attach = region.json().get("attachOperationId").asString();
                // A host whose commit fails once retries it after the backoff.
                for (int i = 0;
                        i < 60 && !Api.ended(api.get("/api/v1/operations/" + attach).json());
                        i++) {
                    driver.runDue();
                    clock.advance(Duration.ofMillis(500));
                }
                assertThat(api.get("/api/v1/regions/" + region.id()).text("state"))
                        .as(
                                "declared region of host "
                                        + h
                                        + ": "
                                        + api.get("/api/v1/operations/" + attach).body())
                        .isEqualTo("attached");
            }
            hardware.read(
                    host,
                    m -> {
                        for (Dev dev : devices) {
                            if (dev.host.equals(host)) {
                                dev.initialLines.addAll(lines(m.readMedia(dev.id)));
                            }
                        }
                        return null;
                    });
        }

        /** One random action; answers what it was, for the failure message. */
        String act() {
            int roll = random.nextInt(100);
            String did;
            if (roll < 14) {
                did = secureErase(pick());
            } else if (roll < 17) {
                did = decommission(pick());
            } else if (roll < 23) {
                did = unlock(pick());
            } else if (roll < 26) {
                did = batch();
            } else if (roll < 30) {
                did = cancel();
            } else if (roll < 34) {
                // A request cancelled at once: its first execution cancels it and lets go of the
                // region.
                int before = operations.size();
                did = secureErase(pick());
                did += operations.size() > before ? "; " + cancel(operations.get(before)) : "";
            } else if (roll < 48) {
                did = runDue(random.nextInt(6) == 0);
            } else if (roll < 55) {
                did = interleave();
            } else if (roll < 70) {
                did =
                        advance(
                                Duration.ofMillis(
                                        200
                                                + random.nextInt(
                                                        random.nextInt(4) == 0 ? 30_000 : 8_000)));
            } else if (roll < 74) {
                driver.reapExpired();
                did = "deadline reaper";
            } else if (roll < 78) {
                // A third of the time beyond twice the step timeout (10 s here): the window an
                // earlier design trusted two machines' clocks to agree within.
                Duration skew =
                        random.nextInt(3) == 0
                                ? Duration.ofMillis(
                                        (21_000 + random.nextInt(40_000))
                                                * (random.nextBoolean() ? 1L : -1L))
                                : Duration.ofMillis(random.nextInt(16_001) - 8_000);
                clock.skew(skew);
                did = "replica with clock skew " + skew;
            } else if (roll < 80) {
                did = redeclare();
            } else if (roll < 81) {
                did = refusedEraseThenReplacement(false);
            } else if (roll < 82) {
                did =
                        random.nextBoolean()
                                ? timedOutEraseThenReplacement()
                                : lateAttachAfterAnotherDetach();
            } else if (roll < 83) {
                did = cancelDuringASlowRegionCall();
            } else if (roll < 85) {
                did = replicaLosesItsPassphrases();
            } else if (roll < 89) {
                did = random.nextInt(3) == 0 ? refusedEraseThenReplacement(true) : discoverRegion();
            } else {
                did = tenant();
            }
            log.add(did);
            return did;
        }

        /**
         * The replica that received the requests restarts: the passphrases it held in memory for
         * operations still running are gone (another replica finds none, and the erase or unlock
         * fails with nothing sent to the device).
         */
        private String replicaLosesItsPassphrases() {
            PassphraseVault vault = context.getBean(PassphraseVault.class);
            // Most often right after it received a passphrase erase of a device whose region
            // decodes: the region is detached, and nothing reaches the device.
            String did = "";
            List<Dev> unlocked =
                    devices.stream()
                            .filter(d -> d.passphrase != null)
                            .filter(d -> securityOf(d) == SecurityState.UNLOCKED)
                            .toList();
            if (!unlocked.isEmpty() && random.nextInt(4) > 0) {
                did = secureErase(unlocked.get(random.nextInt(unlocked.size()))) + "; ";
            }
            int lost = 0;
            for (String op : operations) {
                UUID id = UUID.fromString(op);
                if (vault.get(id).isPresent()) {
                    vault.forget(id);
                    lost++;
                }
            }
            return did + "a replica restarted: " + lost + " passphrase(s) held in memory lost";
        }

        /**
         * A passphrase erase refused before it reached the device (the replica holding the
         * passphrase restarted once it had taken the request), with the tenant's lines cached over
         * the region its detach took away, and the operator replacing that region next (declaring
         * one, or with the host's own tools and a discovery): the old region's lines, never
         * invalidated, must not read through the new one.
         */
        private String refusedEraseThenReplacement(boolean byDiscovery) {
            List<Dev> withPassphrase =
                    devices.stream()
                            .filter(d -> d.passphrase != null)
                            .filter(d -> securityOf(d) == SecurityState.UNLOCKED)
                            .toList();
            if (withPassphrase.isEmpty()) {
                return byDiscovery ? discoverRegion() : redeclare();
            }
            Dev dev = withPassphrase.get(random.nextInt(withPassphrase.size()));
            String did = tenant(dev.host, true) + "; ";
            int before = operations.size();
            did += secureErase(dev);
            if (operations.size() > before) {
                String op = operations.get(before);
                context.getBean(PassphraseVault.class).forget(UUID.fromString(op));
                did += "; its replica restarted";
                for (int i = 0; i < 40 && unfinished().contains(op); i++) {
                    runDue(false);
                    advance(Duration.ofMillis(250));
                }
            }
            return did
                    + "; "
                    + (byDiscovery ? discoverRegion(dev.host, true) : redeclare(dev.host));
        }

        /**
         * A region is replaced and the commit of its attach-region operation stalls on its way to
         * the hardware while an erase of one of its members detaches it, and lands after: the host
         * must refuse it, or the region decodes during that erase.
         */
        private String lateAttachAfterAnotherDetach() {
            String did = redeclare();
            List<UUID> attaches =
                    jdbc.queryForList(
                            "select r.attach_operation_id from regions r join operations o"
                                    + " on o.id = r.attach_operation_id where o.state = 'queued'"
                                    + " and r.host_id in ("
                                    + hostList()
                                    + ")",
                            UUID.class);
            if (attaches.isEmpty()) {
                return did;
            }
            UUID attach = attaches.get(0);
            List<String> members =
                    jdbc.queryForList(
                            "select m.device_id from region_members m join regions r on r.id = m.region_id"
                                    + " where r.attach_operation_id = ?",
                            String.class,
                            attach);
            List<Dev> others =
                    devices.stream()
                            .filter(d -> members.contains(d.id.toString()))
                            .filter(d -> securityOf(d) != SecurityState.LOCKED)
                            .toList();
            var execution =
                    driver.due().stream()
                            .filter(e -> StepDriver.operationsOf(e).contains(attach))
                            .findFirst();
            if (others.isEmpty() || execution.isEmpty()) {
                return did;
            }
            Dev other = others.get(random.nextInt(others.size()));
            PausingBackends.arm("commitUnlessSuperseded");
            Thread stalled = new Thread(() -> driver.run(execution.get()), "stalled-commit");
            stalled.start();
            try {
                boolean reached = false;
                while (!reached && stalled.isAlive()) {
                    reached = PausingBackends.awaitReached(20);
                }
                if (!reached) {
                    return did + "; its attach committed nothing";
                }
                did += "; its attach's commit stalls; meanwhile " + secureErase(other);
                for (int round = 0; round < 3; round++) {
                    for (var due : driver.due()) {
                        if (!due.getTaskInstance()
                                .getId()
                                .equals(execution.get().getTaskInstance().getId())) {
                            driver.run(due);
                        }
                    }
                    advance(Duration.ofMillis(300));
                }
                PausingBackends.release();
                stalled.join(60_000);
                return did + "; the stalled commit landed";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                PausingBackends.release();
            }
        }

        /**
         * An operation's region reset or commit stalls on its way to the hardware, the operation is
         * cancelled meanwhile and other executions run; then the stalled call lands. Whatever the
         * cancel commits and whatever lands must be recorded as the hardware has it (hole 2).
         */
        private String cancelDuringASlowRegionCall() {
            String method = random.nextBoolean() ? "detachRegion" : "commitUnlessSuperseded";
            try {
                // Due executions run one by one, each until it calls the method or ends, time
                // passing between rounds, until one calls it.
                for (int round = 0; round < 10; round++) {
                    for (var execution : driver.due()) {
                        PausingBackends.arm(method);
                        Thread stalled =
                                new Thread(() -> driver.run(execution), "stalled-region-call");
                        stalled.start();
                        boolean reached = false;
                        while (!reached && stalled.isAlive()) {
                            reached = PausingBackends.awaitReached(20);
                        }
                        if (reached) {
                            return cancelWhileStalled(execution, stalled, method);
                        }
                        PausingBackends.release();
                        stalled.join(60_000);
                    }
                    advance(Duration.ofSeconds(1));
                }
                return "no execution called " + method + " in 10 rounds";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                PausingBackends.release();
            }
        }

        private String cancelWhileStalled(
                ScheduledExecution<Object> execution, Thread stalled, String method)
                throws InterruptedException {
            List<UUID> own = StepDriver.operationsOf(execution);
            String did =
                    "a "
                            + method
                            + " stalls; meanwhile "
                            + cancel(own.get(random.nextInt(own.size())).toString());
            for (var due : driver.due()) {
                if (!due.getTaskInstance().getId().equals(execution.getTaskInstance().getId())) {
                    driver.run(due);
                }
            }
            advance(Duration.ofMillis(200 + random.nextInt(12_000)));
            PausingBackends.release();
            stalled.join(60_000);
            return did + "; the stalled call landed";
        }

        /**
         * On the host whose erases outlive the erase timeout: an erase times out (its outcome
         * unknown, the device still erasing), the operator tries to replace its region, the tenant
         * writes through whatever decodes, and the erase ends on the hardware later. A region over
         * that device must not decode while its media may still change.
         */
        private String timedOutEraseThenReplacement() {
            UUID host = hosts.get(2);
            List<Dev> members =
                    devices.stream()
                            .filter(d -> d.host.equals(host) && !d.nvdimm)
                            .filter(d -> securityOf(d) != SecurityState.LOCKED)
                            .toList();
            if (members.isEmpty()) {
                return redeclare();
            }
            String did = secureErase(members.get(random.nextInt(members.size())));
            for (int i = 0; i < 25; i++) {
                runDue(false);
                advance(Duration.ofSeconds(1));
            }
            did += "; " + redeclare(host);
            for (int i = 0; i < 5; i++) {
                runDue(false);
                advance(Duration.ofSeconds(1));
            }
            did += "; " + tenant(host, true);
            for (int i = 0; i < 20; i++) {
                runDue(false);
                advance(Duration.ofSeconds(1));
            }
            return did;
        }

        /**
         * The operator replaces a region: removes one of a host's (refused unless it may go) and
         * declares another at the same addresses over the host's free devices, in a random order.
         * Cache lines belong to addresses: whatever the old region left cached must never read
         * through the new one.
         */
        private String redeclare() {
            // Most often a host whose region is detached: only such a region may go, and one left
            // detached by a refusal may have lines cached that no invalidation followed.
            List<UUID> withDetached = hostsWithADetachedRegion();
            return redeclare(
                    !withDetached.isEmpty() && random.nextInt(4) > 0
                            ? withDetached.get(random.nextInt(withDetached.size()))
                            : hosts.get(random.nextInt(hosts.size())));
        }

        private String redeclare(UUID host) {
            Removal removal = removeOne(host);
            if (removal.old() == null) {
                return removal.did();
            }
            JsonNode old = removal.old();
            String did = removal.did();
            List<Dev> free = freeDevices(host);
            int ways = free.size() >= 4 && random.nextBoolean() ? 4 : free.size() >= 2 ? 2 : 1;
            if (free.isEmpty()) {
                return did;
            }
            List<Dev> members = free.subList(0, ways);
            var declared =
                    api.post(
                            "/api/v1/hosts/" + host + "/regions",
                            Api.json(
                                    Map.of(
                                            "name",
                                            "re-" + (++written),
                                            "deviceIds",
                                            members.stream().map(d -> d.id.toString()).toList(),
                                            "sizeBytes",
                                            ways * 1048576L,
                                            "baseAddress",
                                            old.get("baseAddress").asLong())));
            return did
                    + "; declared over devices "
                    + members.stream().map(d -> d.index).toList()
                    + " at its addresses: "
                    + declared.status()
                    + (declared.status() == 201 ? " " + declared.text("state") : "");
        }

        private List<UUID> hostsWithADetachedRegion() {
            return hosts.stream()
                    .filter(
                            h ->
                                    !api.get("/api/v1/regions?state=detached&hostId=" + h)
                                            .json()
                                            .get("items")
                                            .isEmpty())
                    .toList();
        }

        /** What a removal did, and the region removed (null if none was). */
        private record Removal(String did, JsonNode old) {}

        /**
         * Removes one of the host's regions, most often a detached one (only such a one may go).
         */
        private Removal removeOne(UUID host) {
            JsonNode regions = api.get("/api/v1/regions?hostId=" + host).json().get("items");
            if (regions.isEmpty()) {
                return new Removal("no region to remove on host " + hosts.indexOf(host), null);
            }
            List<JsonNode> detached =
                    regions.valueStream()
                            .filter(r -> r.get("state").asString().equals("detached"))
                            .toList();
            JsonNode old =
                    detached.isEmpty()
                            ? regions.get(random.nextInt(regions.size()))
                            : detached.get(random.nextInt(detached.size()));
            int removed = api.delete("/api/v1/regions/" + old.get("id").asString()).status();
            String did = "remove region " + old.get("name").asString() + ": " + removed;
            return new Removal(did, removed == 204 ? old : null);
        }

        /** Devices of the host in no region, Lethe's or the hardware's, in random order. */
        private List<Dev> freeDevices(UUID host) {
            Set<String> taken = new HashSet<>();
            api.get("/api/v1/regions?hostId=" + host)
                    .json()
                    .get("items")
                    .forEach(r -> r.get("deviceIds").forEach(d -> taken.add(d.asString())));
            hardware.read(
                    host,
                    m -> {
                        m.regions.values().forEach(r -> taken.addAll(r.members));
                        return null;
                    });
            List<Dev> free =
                    new ArrayList<>(
                            devices.stream()
                                    .filter(d -> d.host.equals(host) && !d.nvdimm)
                                    .filter(d -> !taken.contains(d.id.toString()))
                                    .toList());
            java.util.Collections.shuffle(free, random);
            return free;
        }

        /**
         * The host's own tools program a region into its decoders, outside Lethe (as firmware or
         * {@code cxl create-region} does), over devices in no region whatever Lethe records of
         * them, decoding or reset; often at the addresses of a region just removed, whose lines may
         * still be cached. Then Lethe discovers the host. A region Lethe does not take is reset by
         * the operator and discovered again, as the refusal asks, and destroyed if still refused;
         * none of this runs while any step does, so a region Lethe refused never decodes when
         * anything reads.
         */
        private String discoverRegion() {
            List<UUID> withDetached = hostsWithADetachedRegion();
            return !withDetached.isEmpty() && random.nextInt(4) > 0
                    ? discoverRegion(withDetached.get(random.nextInt(withDetached.size())), true)
                    : discoverRegion(hosts.get(random.nextInt(hosts.size())), random.nextBoolean());
        }

        private String discoverRegion(UUID host, boolean removeFirst) {
            String did = "";
            JsonNode removed = null;
            if (removeFirst) {
                Removal removal = removeOne(host);
                did = removal.did() + "; ";
                removed = removal.old();
            }
            List<Dev> free = freeDevices(host);
            if (free.isEmpty()) {
                return did + "no device in no region on host " + hosts.indexOf(host);
            }
            int ways = free.size() >= 4 && random.nextBoolean() ? 4 : free.size() >= 2 ? 2 : 1;
            List<Dev> members = free.subList(0, random.nextBoolean() ? ways : 1);
            if (removed != null && random.nextInt(3) > 0) {
                // Most often the removed region's own devices in the opposite interleave order:
                // each address then lands on another device than before (hole 1's variant).
                List<Dev> reversed = new ArrayList<>();
                removed.get("deviceIds")
                        .forEach(d -> reversed.add(0, device(UUID.fromString(d.asString()))));
                if (free.containsAll(reversed)) {
                    members = reversed;
                }
            }
            long size = members.size() * 1048576L;
            long base =
                    removed != null
                            ? removed.get("baseAddress").asLong()
                            : (96L << 30) + (long) (++outsideBases % 512) * (256L << 20);
            if (!tooling.free(host, base, size)) {
                return did + "the host's tools found 0x" + Long.toHexString(base) + " taken";
            }
            boolean decoding = random.nextInt(3) > 0;
            UUID key =
                    tooling.create(
                            host, base, size, members.stream().map(d -> d.id).toList(), decoding);
            did +=
                    "the host's tools create "
                            + tooling.name(key)
                            + " over devices "
                            + members.stream().map(d -> d.index).toList()
                            + " at 0x"
                            + Long.toHexString(base)
                            + (tooling.decodes(host, key) ? ", decoding" : ", reset");
            return did + "; " + discover(host, key, true);
        }

        /** Lethe discovers the host; answers what became of the tools' region {@code key}. */
        private String discover(UUID host, UUID key, boolean again) {
            var report = api.post("/api/v1/hosts/" + host + "/discover", "");
            assertThat(report.status()).as("discovery: %s", report.body()).isEqualTo(200);
            String name = tooling.name(key);
            List<String> taken =
                    jdbc.queryForList(
                            "select state from regions where host_id = ? and name = ?",
                            String.class,
                            host,
                            name);
            if (!taken.isEmpty()) {
                tooling.adopt(host, key);
                discovered++;
                return "Lethe takes it " + taken.get(0);
            }
            String reason =
                    report.json()
                            .get("skippedRegions")
                            .valueStream()
                            .filter(r -> r.get("name").asString().equals(name))
                            .map(r -> r.get("reason").asString())
                            .findFirst()
                            .orElse("not reported as skipped");
            skippedDiscoveries++;
            if (again && tooling.decodes(host, key)) {
                tooling.reset(host, key);
                return "Lethe skips it ("
                        + reason
                        + "); reset on the host, "
                        + discover(host, key, false);
            }
            tooling.destroy(host, key);
            return "Lethe skips it (" + reason + "); destroyed on the host";
        }

        /**
         * A device, as often as not on the host of the last request: operations that meet on one
         * host and region are the interesting ones.
         */
        private Dev pick() {
            if (lastHost != null && random.nextBoolean()) {
                List<Dev> near = devices.stream().filter(d -> d.host.equals(lastHost)).toList();
                return near.get(random.nextInt(near.size()));
            }
            Dev dev = devices.get(random.nextInt(devices.size()));
            lastHost = dev.host;
            return dev;
        }

        private String secureErase(Dev dev) {
            SecurityState state = securityOf(dev);
            String body;
            if (state == SecurityState.LOCKED || state == SecurityState.UNLOCKED) {
                body =
                        "{\"method\": \"passphrase-erase\", \"passphrase\": \""
                                + dev.passphrase
                                + "\"}";
            } else if (dev.nvdimm) {
                body =
                        "{\"method\": \""
                                + (random.nextBoolean() ? "overwrite" : "secure-erase")
                                + "\"}";
            } else {
                body =
                        "{\"method\": \""
                                + (random.nextBoolean() ? "sanitize" : "secure-erase")
                                + "\"}";
            }
            return request(dev, "secure-erase", body);
        }

        private String decommission(Dev dev) {
            SecurityState state = securityOf(dev);
            String method =
                    state == SecurityState.LOCKED || state == SecurityState.UNLOCKED
                            ? "passphrase-erase"
                            : dev.nvdimm ? "overwrite" : "sanitize";
            return request(
                    dev,
                    "decommission",
                    "{\"method\": \""
                            + method
                            + "\", \"reason\": \"leaves service\""
                            + (method.equals("passphrase-erase")
                                    ? ", \"passphrase\": \"" + dev.passphrase + "\""
                                    : "")
                            + "}");
        }

        private String unlock(Dev dev) {
            boolean right = dev.passphrase != null && random.nextInt(5) > 0;
            return request(
                    dev,
                    "unlock",
                    "{\"passphrase\": \""
                            + (right ? dev.passphrase : "wrong-" + seed)
                            + "\", "
                            + "\"allowFinalAttempt\": true}");
        }

        private String request(Dev dev, String action, String body) {
            var answer = api.post("/api/v1/devices/" + dev.id + "/" + action, body);
            if (answer.status() == 202) {
                operations.add(answer.id());
            }
            return action + " of device " + dev.index + ": " + answer.status();
        }

        private String batch() {
            UUID host = hosts.get(random.nextInt(hosts.size()));
            var answer =
                    api.startBatch(
                            "secure-erase",
                            "sanitize",
                            Map.of("hostIds", List.of(host.toString())));
            if (answer.status() == 202) {
                api.get("/api/v1/operations?limit=100&batchId=" + answer.id())
                        .json()
                        .get("items")
                        .forEach(op -> operations.add(op.get("id").asString()));
            }
            return "batch secure-erase of host " + hosts.indexOf(host) + ": " + answer.status();
        }

        private String cancel() {
            List<String> open = unfinished();
            return cancel(open.isEmpty() ? null : open.get(random.nextInt(open.size())));
        }

        private String cancel(String op) {
            if (op == null) {
                return "cancel: nothing to cancel";
            }
            return "cancel " + op + ": " + api.delete("/api/v1/operations/" + op).status();
        }

        /**
         * Runs the step executions due now (true time), in due order; with {@code crash}, one of
         * them dies before a commit.
         */
        String runDue(boolean crash) {
            var due = driver.due();
            int crashAt = crash && !due.isEmpty() ? random.nextInt(due.size()) : -1;
            int crashed = 0;
            for (int i = 0; i < due.size(); i++) {
                if (i == crashAt) {
                    CrashBeforeCommit.arm(1 + random.nextInt(3));
                }
                if (!driver.run(due.get(i))) {
                    crashed++;
                    deaths++;
                }
                CrashBeforeCommit.disarm();
            }
            return "ran "
                    + due.size()
                    + " due execution(s)"
                    + (crashed > 0 ? ", " + crashed + " died before a commit" : "");
        }

        /**
         * Two replicas at once: one due execution stops inside a backend call (outside any
         * transaction) while the others due now run to their end; then it goes on.
         */
        String interleave() {
            var due = driver.due();
            if (due.size() < 2) {
                return runDue(false);
            }
            // Most often the one stopped is about to invalidate: the moment another replica's erase
            // may end.
            // A region commit stopped while others run is one that lands late: after the step's
            // limit, after another member's detach. An execution at its invalidation or commit
            // goes on to the commit in the same run.
            var committing =
                    due.stream()
                            .filter(
                                    e ->
                                            atStep(
                                                    e,
                                                    Set.of(
                                                            "invalidate-cache",
                                                            "reattach-region",
                                                            "attach-region")))
                            .toList();
            boolean atCommit = !committing.isEmpty() && random.nextInt(3) == 0;
            var invalidating =
                    due.stream().filter(e -> atStep(e, Set.of("invalidate-cache"))).toList();
            boolean atInvalidation = !atCommit && !invalidating.isEmpty() && random.nextInt(4) > 0;
            var first =
                    atInvalidation
                            ? invalidating.get(random.nextInt(invalidating.size()))
                            : atCommit
                                    ? committing.get(random.nextInt(committing.size()))
                                    : due.get(random.nextInt(due.size()));
            String method =
                    atInvalidation
                            ? "invalidateCaches"
                            : atCommit
                                    ? "commitUnlessSuperseded"
                                    : List.of(
                                                    "eraseStatus",
                                                    "readDevice",
                                                    "commitUnlessSuperseded",
                                                    "detachRegion")
                                            .get(random.nextInt(4));
            PausingBackends.arm(method);
            Thread paused = new Thread(() -> driver.run(first), "second-replica");
            paused.start();
            try {
                boolean reached = false;
                while (!reached && paused.isAlive()) {
                    reached = PausingBackends.awaitReached(20);
                }
                int others = 0;
                String meanwhile = "";
                boolean inRegionCall =
                        Set.of("commitUnlessSuperseded", "detachRegion").contains(method);
                if (reached && inRegionCall && random.nextInt(3) == 0) {
                    // A cancel while the region's commit or reset is on its way to the hardware:
                    // whatever the cancel commits, and whatever lands, must be recorded.
                    var own = StepDriver.operationsOf(first);
                    meanwhile =
                            "; meanwhile " + cancel(own.get(random.nextInt(own.size())).toString());
                } else if (reached
                        && method.equals("commitUnlessSuperseded")
                        && (atCommit || random.nextBoolean())) {
                    // Most often an erase of another member of the region being committed arrives
                    // meanwhile: its detach must win over the commit that lands after it.
                    meanwhile = "; meanwhile " + eraseAnotherMember(first);
                }
                // While it is stopped, time passes on the other replica: erases end, other
                // executions fall due and run.
                for (int round = 0; reached && round < 3; round++) {
                    for (var execution : driver.due()) {
                        if (!execution
                                .getTaskInstance()
                                .getId()
                                .equals(first.getTaskInstance().getId())) {
                            driver.run(execution);
                            others++;
                        }
                    }
                    advance(Duration.ofMillis(500 + random.nextInt(3_500)));
                }
                PausingBackends.release();
                paused.join(60_000);
                return reached
                        ? "one execution stopped in "
                                + method
                                + meanwhile
                                + " while "
                                + others
                                + " other(s) ran"
                        : "one execution ran (never called " + method + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                PausingBackends.release();
            }
        }

        /** A secure erase of a member of the execution's region other than its operations' own. */
        private String eraseAnotherMember(ScheduledExecution<Object> execution) {
            Set<String> own = new HashSet<>();
            Set<UUID> regions = new HashSet<>();
            for (var operationId : StepDriver.operationsOf(execution)) {
                jdbc.query(
                        "select device_id, region_id from operations where id = ?",
                        rs -> {
                            own.add(rs.getString(1));
                            if (rs.getObject(2) != null) {
                                regions.add(rs.getObject(2, UUID.class));
                            }
                        },
                        operationId);
            }
            for (UUID region : regions) {
                List<String> members =
                        jdbc.queryForList(
                                "select device_id from region_members where region_id = ?",
                                String.class,
                                region);
                for (Dev dev : devices) {
                    if (members.contains(dev.id.toString()) && !own.contains(dev.id.toString())) {
                        return secureErase(dev);
                    }
                }
            }
            return "no other member to erase";
        }

        private boolean atStep(ScheduledExecution<Object> execution, Set<String> steps) {
            for (var operationId : StepDriver.operationsOf(execution)) {
                List<String> current =
                        jdbc.queryForList(
                                "select name from operation_steps where operation_id = ?"
                                        + " and state in ('pending', 'running') order by position",
                                String.class,
                                operationId);
                if (!current.isEmpty() && steps.contains(current.get(0))) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Time passes: every simulated device whose erase's time has come finishes it, as hardware
         * does.
         */
        String advance(Duration by) {
            clock.advance(by);
            for (UUID host : hosts) {
                hardware.change(
                        host,
                        m -> {
                            m.settle(clock.trueNow());
                            return null;
                        });
            }
            return "time +" + by;
        }

        /**
         * The tenant writes tagged lines through the CPU into decoding regions, reads some, and the
         * cache evicts some.
         */
        String tenant() {
            return tenant(hosts.get(random.nextInt(hosts.size())), false);
        }

        /** With {@code everyLine}, a write to every line of every decoding region. */
        String tenant(UUID host, boolean everyLine) {
            observe();
            int[] counts = new int[3];
            hardware.change(
                    host,
                    m -> {
                        for (var region : m.regions.entrySet()) {
                            if (!region.getValue().decoded) {
                                continue;
                            }
                            for (String member : region.getValue().members) {
                                Dev dev = device(UUID.fromString(member));
                                for (Long line :
                                        m.linesOf(UUID.fromString(region.getKey()), dev.id)) {
                                    int what = everyLine ? 0 : random.nextInt(4);
                                    if (what == 0) {
                                        m.cpuWrite(line, tag(dev));
                                        counts[0]++;
                                    } else if (what == 1) {
                                        m.cpuRead(line);
                                        counts[1]++;
                                    } else if (what == 2) {
                                        m.evict(line);
                                        counts[2]++;
                                    }
                                }
                            }
                        }
                        return null;
                    });
            return "tenant on host "
                    + hosts.indexOf(host)
                    + ": "
                    + counts[0]
                    + " writes, "
                    + counts[1]
                    + " reads, "
                    + counts[2]
                    + " evictions";
        }

        /** Runs everything to its end: time passes, due executions run, the reaper looks. */
        void drain() {
            clock.skew(Duration.ZERO);
            for (int i = 0; i < 400 && !unfinished().isEmpty(); i++) {
                advance(Duration.ofSeconds(2));
                runDue(false);
                driver.reapExpired();
                check("while draining");
            }
        }

        /** What the program did, so that a run shows it exercised the engine. */
        String summary() {
            Map<String, Object> counts = new LinkedHashMap<>();
            jdbc.query(
                    "select type, state, count(*) from operations where host_id in ("
                            + hostList()
                            + ") group by type, state"
                            + " order by type, state",
                    rs -> {
                        counts.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
                    });
            counts.put(
                    "region commits after a change",
                    jdbc.queryForObject(
                            "select count(*) from operation_steps s join operations o"
                                    + " on o.id = s.operation_id where s.name in ('reattach-region', 'attach-region') and s.detail like '%committed'"
                                    + " and o.host_id in ("
                                    + hostList()
                                    + ")",
                            Long.class));
            counts.put(
                    "invalidations",
                    jdbc.queryForObject(
                            "select coalesce(sum(invalidations), 0) from host_invalidations"
                                    + " where host_id in ("
                                    + hostList()
                                    + ")",
                            Long.class));
            counts.put("tenant lines written", written);
            counts.put("regions discovered", discovered);
            counts.put("discovered regions skipped", skippedDiscoveries);
            counts.put("executions that died", deaths);
            return counts.toString();
        }

        List<String> unfinished() {
            List<String> open = new ArrayList<>();
            for (String op : operations) {
                String state =
                        jdbc.queryForObject(
                                "select state from operations where id = ?",
                                String.class,
                                UUID.fromString(op));
                if (!WireEnum.require(OperationState.class, state).isTerminal()) {
                    open.add(op);
                }
            }
            return open;
        }

        /** The oracle, after every action. */
        /**
         * Between actions no hardware call is in flight, so Lethe's record of every region says
         * what the hardware's decoders do: attached exactly when they decode. A commit whose record
         * was lost, or a late commit that landed after a later detach, shows here.
         */
        private void recordsMatchTheHardware(List<String> broken) {
            for (UUID host : hosts) {
                Map<String, String> recorded = new HashMap<>();
                jdbc.query(
                        "select id, state, commit_claim from regions where host_id = ?",
                        rs -> {
                            recorded.put(
                                    rs.getObject(1, UUID.class).toString(),
                                    rs.getString(2)
                                            + (rs.getObject(3) == null ? "" : ", claim pending"));
                        },
                        host);
                hardware.read(
                        host,
                        m -> {
                            recorded.forEach(
                                    (region, state) -> {
                                        var simulated = m.regions.get(region);
                                        boolean decodes = simulated != null && simulated.decoded;
                                        // A claim still pending is a commit whose outcome was
                                        // never recorded: none is in flight here.
                                        if (decodes != state.equals("attached")) {
                                            broken.add(
                                                    "region "
                                                            + region
                                                            + ": Lethe records "
                                                            + state
                                                            + " while the hardware "
                                                            + (decodes
                                                                    ? "decodes it"
                                                                    : "does not decode it"));
                                        }
                                    });
                            return null;
                        });
            }
        }

        /**
         * A device the hardware is still erasing is one whose media may yet change: Lethe must not
         * count it settled (an operation holds it, or it is quarantined with its media state
         * unknown), whatever the operation that started the erase concluded.
         */
        private void erasingDevicesAreNotSettled(List<String> broken) {
            for (UUID host : hosts) {
                Map<String, String> status = new HashMap<>();
                jdbc.query(
                        "select id, status from devices where host_id = ?",
                        rs -> {
                            status.put(rs.getObject(1, UUID.class).toString(), rs.getString(2));
                        },
                        host);
                hardware.read(
                        host,
                        m -> {
                            m.devices.forEach(
                                    (id, device) -> {
                                        String recorded = status.get(id);
                                        if (device.erase != null
                                                && !device.erase.done
                                                && !"busy".equals(recorded)
                                                && !"quarantined".equals(recorded)) {
                                            broken.add(
                                                    "device "
                                                            + indexOf(id)
                                                            + " is still erasing on the hardware while Lethe"
                                                            + " records it "
                                                            + recorded);
                                        }
                                    });
                            return null;
                        });
            }
        }

        private int indexOf(String deviceId) {
            return devices.stream()
                    .filter(d -> d.id.toString().equals(deviceId))
                    .mapToInt(d -> d.index)
                    .findFirst()
                    .orElse(-1);
        }

        void check(String when) {
            observe();
            List<String> broken = new ArrayList<>();
            for (UUID host : hosts) {
                hardware.read(
                        host,
                        m -> {
                            readThroughCpu(m, broken);
                            return null;
                        });
            }
            recordsMatchTheHardware(broken);
            erasingDevicesAreNotSettled(broken);
            // Records: every invalidation an operation records is numbered as it was when it
            // reached the backend (claimed before it began).
            jdbc.query(
                    "select o.id, o.host_id, o.ledger from operations o"
                            + " where o.ledger like '%\"invalidationSeq\"%' and o.host_id in ("
                            + hostList()
                            + ")",
                    rs -> {
                        UUID host = rs.getObject(2, UUID.class);
                        long seq = ledgerNumber(rs.getString(3), "invalidationSeq");
                        if (!claimedAtCall.getOrDefault(host, Set.of()).contains(seq)) {
                            broken.add(
                                    "operation "
                                            + rs.getObject(1)
                                            + " records invalidation #"
                                            + seq
                                            + ", a number no invalidation held when it reached the"
                                            + " backend (held: "
                                            + claimedAtCall.getOrDefault(host, Set.of())
                                            + ")");
                        }
                    });
            // Records: every invalidation that served an operation was numbered after its change
            // was recorded.
            jdbc.query(
                    "select o.id, o.ledger, o.type from operations o join operation_steps s"
                            + " on s.operation_id = o.id where s.name = 'invalidate-cache' and s.state = 'succeeded' and o.host_id in ("
                            + hostList()
                            + ")",
                    rs -> {
                        Long changeSeq = ledgerNumber(rs.getString(2), "mediaChangeSeq");
                        boolean noChange = changeSeq == null;
                        long change = noChange ? 0 : changeSeq;
                        Long invalidationSeq = ledgerNumber(rs.getString(2), "invalidationSeq");
                        boolean noInvalidation = invalidationSeq == null;
                        long invalidation = noInvalidation ? 0 : invalidationSeq;
                        if (noChange && noInvalidation && "attach-region".equals(rs.getString(3))) {
                            // An attach over addresses no removed region exposed: nothing to cover.
                            return;
                        }
                        if (noInvalidation || !noChange && invalidation <= change) {
                            broken.add(
                                    "operation "
                                            + rs.getObject(1)
                                            + " was served by invalidation #"
                                            + invalidation
                                            + ", not numbered after its change #"
                                            + change);
                        }
                    });
            // The engine never asks to commit a region its own invalidation did not cover.
            jdbc.query(
                    "select id, error from operations where state = 'failed' and error like '%no invalidation numbered after%'"
                            + " and host_id in ("
                            + hostList()
                            + ")",
                    rs -> {
                        broken.add(
                                "operation "
                                        + rs.getObject(1)
                                        + " failed by the barrier: "
                                        + rs.getString(2));
                    });
            assertThat(broken)
                    .as(
                            () ->
                                    "seed "
                                            + seed
                                            + ", "
                                            + when
                                            + "; program so far:\n  "
                                            + String.join("\n  ", log))
                    .isEmpty();
        }

        private void readThroughCpu(SimulatedMachine m, List<String> broken) {
            for (var region : m.regions.entrySet()) {
                if (!region.getValue().decoded) {
                    continue;
                }
                for (String member : region.getValue().members) {
                    Dev dev = device(UUID.fromString(member));
                    String status =
                            jdbc.queryForObject(
                                    "select status from devices where id = ?",
                                    String.class,
                                    dev.id);
                    if (status.equals("decommissioned")) {
                        broken.add(
                                "retired device "
                                        + dev.index
                                        + " is in decoding region "
                                        + region.getKey());
                    }
                    SecurityState security = m.device(dev.id).security;
                    for (Long line : m.linesOf(UUID.fromString(region.getKey()), dev.id)) {
                        byte[] seen = m.cpuRead(line);
                        String stale = staleness(seen, security, dev);
                        if (stale != null) {
                            broken.add(
                                    "device "
                                            + dev.index
                                            + " line "
                                            + Long.toHexString(line)
                                            + " reads "
                                            + stale
                                            + " through the CPU (device at generation "
                                            + dev.generation
                                            + ")");
                        }
                    }
                }
            }
        }

        /**
         * Why a line the CPU reads at an address of device {@code at} is stale, or null: it belongs
         * to another device's media or writes, or to an older generation of this device's.
         */
        private String staleness(byte[] seen, SecurityState security, Dev at) {
            ByteBuffer buffer = ByteBuffer.wrap(seen);
            if (buffer.getLong(0) == MAGIC) {
                Dev owner = devices.get(buffer.get(8));
                int generation = buffer.getInt(9);
                if (owner != at) {
                    return "a line the tenant wrote to device " + owner.index;
                }
                return generation < owner.generation
                        ? "a line device " + owner.index + " held at generation " + generation
                        : null;
            }
            String hex = HexFormat.of().formatHex(seen);
            for (Dev dev : devices) {
                if ((dev != at || dev.generation > 0) && dev.initialLines.contains(hex)) {
                    return "a line of the media device "
                            + dev.index
                            + " had before its first erase";
                }
            }
            int[] canary = canaries.get(hex);
            if (canary != null && canary[0] != at.index) {
                return "the canary Lethe wrote through the CPU for device " + canary[0];
            }
            if (canary != null && canary[1] < devices.get(canary[0]).generation) {
                return "the canary Lethe wrote through the CPU for device "
                        + canary[0]
                        + " before its erase";
            }
            boolean poison = true;
            for (byte b : seen) {
                poison &= b == SimulatedMachine.POISON;
            }
            return poison && security != SecurityState.LOCKED
                    ? "poison cached while the device was locked"
                    : null;
        }

        /** Counts each device's completed erases from the hardware: its generation. */
        private void observe() {
            for (UUID host : hosts) {
                hardware.read(
                        host,
                        m -> {
                            for (var entry : m.devices.entrySet()) {
                                Dev dev = device(UUID.fromString(entry.getKey()));
                                var job = entry.getValue().erase;
                                if (job != null
                                        && job.done
                                        && seenErases
                                                .computeIfAbsent(
                                                        entry.getKey(), k -> new HashSet<>())
                                                .add(job.ticket)) {
                                    dev.generation++;
                                }
                            }
                            return null;
                        });
            }
        }

        private byte[] tag(Dev dev) {
            ByteBuffer line = ByteBuffer.allocate(SimulatedMachine.LINE);
            line.putLong(MAGIC).put((byte) dev.index).putInt(dev.generation).putLong(++written);
            while (line.hasRemaining()) {
                line.put((byte) random.nextInt());
            }
            return line.array();
        }

        private SecurityState securityOf(Dev dev) {
            return SecurityState.valueOf(
                    jdbc.queryForObject(
                                    "select security_state from devices where id = ?",
                                    String.class,
                                    dev.id)
                            .toUpperCase()
                            .replace('-', '_'));
        }

        private Dev device(UUID id) {
            return devices.stream().filter(d -> d.id.equals(id)).findFirst().orElseThrow();
        }

        private String hostList() {
            return String.join(",", hosts.stream().map(h -> "'" + h + "'").toList());
        }

        /**
         * A number the engine's ledger document holds under {@code name} (its stored form: a JSON
         * object beside the operation), or null.
         */
        private static Long ledgerNumber(String document, String name) {
            if (document == null) {
                return null;
            }
            JsonNode value =
                    tools.jackson.databind.json.JsonMapper.builder()
                            .build()
                            .readTree(document)
                            .get(name);
            return value == null || value.isNull() ? null : value.asLong();
        }
    }

    /** A device of the world and what the tenant knows of it. */
    static final class Dev {
        final int index;
        final UUID host;
        final UUID id;
        final boolean nvdimm;
        final String passphrase;
        final Set<String> initialLines = new HashSet<>();
        int generation;

        Dev(int index, UUID host, UUID id, boolean nvdimm, String passphrase) {
            this.index = index;
            this.host = host;
            this.id = id;
            this.nvdimm = nvdimm;
            this.passphrase = passphrase;
        }
    }

    private static List<String> lines(byte[] media) {
        List<String> lines = new ArrayList<>();
        for (int at = 0; at + SimulatedMachine.LINE <= media.length; at += SimulatedMachine.LINE) {
            byte[] line = new byte[SimulatedMachine.LINE];
            System.arraycopy(media, at, line, 0, SimulatedMachine.LINE);
            lines.add(HexFormat.of().formatHex(line));
        }
        return lines;
    }
}
