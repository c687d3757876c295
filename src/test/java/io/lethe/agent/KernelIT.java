package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's kernel-facing code on real Linux kernels: Debian's 6.12 and Debian 12's 6.1 under
 * QEMU 10 (TCG). Four guests boot side by side: on 6.12, two with two emulated CXL type-3 memdevs,
 * one without the CPU's {@code hypervisor} flag (so the kernel believes it can invalidate caches)
 * and with {@code encrypted_keys.user_decrypted_data=1}, one as any VM and without it, and one with
 * an emulated NFIT NVDIMM; on 6.1, the two memdevs without the flag. In each the host's JDK runs
 * {@link AgentCommands} over the guest's real sysfs; the results come back as JSON lines, and the
 * memdevs' backing files are read afterwards as the physical truth of where the agent's writes
 * landed. Skipped with the reason when QEMU or the kernel cannot be had, unless {@code
 * LETHE_REQUIRE_KERNEL=1} (set by CI), which makes that a failure.
 *
 * <p>The one test class that runs beside the others ({@code junit-platform.properties} keeps every
 * other class on the build's one thread): its guests are minutes of emulated CPU that share nothing
 * with the service's tests, and QEMU runs at a lower priority ({@code run-vm.sh}), so it takes the
 * cores the other tests leave idle while they wait on processes, sockets and timers. Its limits are
 * guards against a hang, set for a guest that gets only those idle cores.
 */
@Execution(ExecutionMode.CONCURRENT)
class KernelIT {

    static final Path SCRIPTS = Path.of("src/test/kernel").toAbsolutePath();
    static final boolean REQUIRED = "1".equals(System.getenv("LETHE_REQUIRE_KERNEL"));
    static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A guard against a hung guest, not a time budget: the five guests run at once, niced, beside
     * the other test classes, and took up to 6 minutes there (2026-12-07).
     */
    static final Duration GUEST_LIMIT = Duration.ofMinutes(15);

    /** What the guest's init ({@code src/test/kernel/init}) prints once it runs. */
    static final String GUEST_UP = "lethe-guest: up after";

    static String kernel;
    static String initrd;
    static String oldKernel;
    static String oldInitrd;
    static String nfitInitrd;
    static long prepareMillis;

    @TempDir static Path work;

    @BeforeAll
    static void prepare() throws Exception {
        long started = System.nanoTime();
        Prepared current = prepared("6.12", "QEMU and the kernel", Duration.ofMinutes(5));
        prepareMillis = (System.nanoTime() - started) / 1_000_000;
        kernel = current.kernel();
        initrd = current.initrd();
        Prepared old = prepared("6.1", "Debian 12's 6.1", Duration.ofMinutes(5));
        oldKernel = old.kernel();
        oldInitrd = old.initrd();
        nfitInitrd =
                prepared("6.12-nfit-test", "the kernel's nfit_test modules", Duration.ofMinutes(12))
                        .initrd();
        Run qemu = run(List.of("qemu-system-x86_64", "--version"), Duration.ofSeconds(30));
        if (qemu.exit() != 0) {
            unavailable(
                    "QEMU does not run here (exit " + qemu.exit() + "): " + tail(qemu.output()));
        }
        System.out.printf("KernelIT: prepare %.1f s%n", prepareMillis / 1000.0);
    }

    /** The kernel and initramfs prepare.sh names for a series. */
    record Prepared(String kernel, String initrd) {}

    private static Prepared prepared(String series, String what, Duration limit) {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "lethe-kernel");
        Run run =
                run(
                        List.of(
                                "bash",
                                SCRIPTS.resolve("prepare.sh").toString(),
                                cache.toString(),
                                series),
                        limit);
        if (run.exit() != 0) {
            unavailable(
                    "preparing "
                            + what
                            + " failed (exit "
                            + run.exit()
                            + "): "
                            + tail(run.output()));
        }
        String kernel = null;
        String initrd = null;
        for (String line : run.output().lines().toList()) {
            if (line.startsWith("KERNEL=")) {
                kernel = line.substring(7);
            } else if (line.startsWith("INITRD=")) {
                initrd = line.substring(7);
            }
        }
        if (kernel == null || initrd == null) {
            unavailable(
                    "prepare.sh "
                            + series
                            + " named no kernel or initramfs: "
                            + tail(run.output()));
        }
        return new Prepared(kernel, initrd);
    }

    private static void unavailable(String why) {
        if (REQUIRED) {
            fail("LETHE_REQUIRE_KERNEL=1 but " + why);
        }
        Assumptions.abort("no real kernel to test against: " + why);
    }

    @Test
    void theAgentDrivesARealKernelsCxlRegionAndIsRefusedWhereTheKernelRefuses() throws Exception {
        String canaryA = "lethe-canary-a-" + UUID.randomUUID().toString().replace("-", "");
        String canaryB = "lethe-canary-b-" + UUID.randomUUID().toString().replace("-", "");
        long started = System.nanoTime();
        CompletableFuture<Guest> bare =
                CompletableFuture.supplyAsync(
                        () ->
                                boot(
                                        "bare-metal",
                                        "cxl",
                                        canaryA,
                                        canaryB,
                                        "encrypted_keys.user_decrypted_data=1"));
        CompletableFuture<Guest> vm =
                CompletableFuture.supplyAsync(() -> boot("vm", "cxl", canaryA, canaryB));
        CompletableFuture<Guest> dimm =
                CompletableFuture.supplyAsync(() -> boot("bare-metal", "nvdimm", canaryA, canaryB));
        CompletableFuture<Guest> older =
                CompletableFuture.supplyAsync(
                        () ->
                                bootAs(
                                        "old-kernel",
                                        oldKernel,
                                        oldInitrd,
                                        "bare-metal",
                                        "cxl",
                                        canaryA,
                                        canaryB));
        CompletableFuture<Guest> tested =
                CompletableFuture.supplyAsync(
                        () ->
                                bootAs(
                                        "nfit-test",
                                        kernel,
                                        nfitInitrd,
                                        "bare-metal",
                                        "none",
                                        canaryA,
                                        canaryB,
                                        "encrypted_keys.user_decrypted_data=1"));
        // Longer than a guest's own limits (GUEST_LIMIT for each of at most two boots), which end a
        // hung guest and report its console; this wait would only say that it timed out.
        Duration wait = GUEST_LIMIT.multipliedBy(2).plusMinutes(1);
        Guest b = bare.get(wait.toSeconds(), TimeUnit.SECONDS);
        Guest v = vm.get(wait.toSeconds(), TimeUnit.SECONDS);
        Guest n = dimm.get(wait.toSeconds(), TimeUnit.SECONDS);
        Guest o = older.get(wait.toSeconds(), TimeUnit.SECONDS);
        Guest t = tested.get(wait.toSeconds(), TimeUnit.SECONDS);
        System.out.printf(
                "KernelIT: five guests %.1f s (cxl bare metal %s; cxl vm %s; nvdimm %s; 6.1 %s;"
                        + " nfit_test %s)%n",
                (System.nanoTime() - started) / 1e9,
                b.times(),
                v.times(),
                n.times(),
                o.times(),
                t.times());

        NfitTestDimms.check(t);

        // --- Debian 12's 6.1: no cpu_cache_invalidate_memregion(), so no erase there ---
        assertThat(o.file("uname.txt")).startsWith("6.1.");
        assertThat(o.file("kallsyms.txt").strip())
                .as("the symbol is absent from 6.1")
                .isEqualTo("0");
        JsonNode oldInventory = o.result("inventory");
        assertThat(oldInventory.path("cacheInvalidation").asString()).isEqualTo("unsupported");
        assertThat(oldInventory.path("cacheInvalidationReason").asString())
                .contains("cpu_cache_invalidate_memregion");
        assertThat(oldInventory.path("nvdimms").size())
                .as("6.1's CXL bridge nmems (no cxl/id) are not NVDIMMs: %s", oldInventory)
                .isZero();
        assertThat(oldInventory.path("regions").toString())
                .as("nor is the nd region over the CXL region one of NVDIMMs")
                .doesNotContain("nd-region");
        assertThat(oldInventory.path("memdevs").size()).isEqualTo(2);

        // --- bare metal: discovery, the region lifecycle, read-back through the mapping ---
        JsonNode inventory = b.result("inventory");
        Map<String, JsonNode> memdevs = new HashMap<>();
        inventory.path("memdevs").forEach(m -> memdevs.put(m.path("serial").asString(), m));
        assertThat(memdevs).containsOnlyKeys("0x1234", "0x5678");
        memdevs.values()
                .forEach(
                        m -> {
                            assertThat(m.path("pmemSizeBytes").asLong()).isEqualTo(256L << 20);
                            assertThat(m.path("firmwareVersion").asString()).isNotBlank();
                            assertThat(m.path("sanitizeSupported").asBoolean())
                                    .as("QEMU 10 emulates sanitize: security/sanitize is there")
                                    .isTrue();
                            assertThat(m.path("securityState").asString()).isEqualTo("disabled");
                        });
        assertThat(inventory.path("cacheInvalidation").asString()).isEqualTo("supported");
        String region = b.file("region.txt").strip();
        JsonNode found = null;
        for (JsonNode r : inventory.path("regions")) {
            if (r.path("name").asString().equals(region)) {
                found = r;
            }
        }
        assertThat(found).as("region %s in the inventory", region).isNotNull();
        assertThat(found.path("memdevSerials").values())
                .extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("0x1234", "0x5678");
        assertThat(found.path("committed").asBoolean()).isTrue();

        assertThat(b.line("write " + region + " 0x1234").path("ok").asBoolean()).isTrue();
        assertThat(
                        b.results("read " + region + " 0x1234")
                                .get(0)
                                .path("result")
                                .path("text")
                                .asString())
                .isEqualTo(canaryA);
        // The kernel's own EBUSY for a sanitize while the region is committed (the raw write),
        // and the agent's precheck saying the same before it writes.
        assertThat(b.file("raw-sanitize.txt"))
                .as("a raw write to security/sanitize with a committed region")
                .contains("Device or resource busy")
                .contains("exit 1");
        assertThat(b.line("erase 0x1234 sanitize kernel-it-busy").path("code").asString())
                .isEqualTo("busy");
        JsonNode reset = b.result("reset " + region + " 1");
        assertThat(reset.path("committed").asBoolean()).isFalse();
        JsonNode unreachable = b.results("read " + region + " 0x1234").get(1);
        assertThat(unreachable.path("ok").asBoolean())
                .as("a reset region cannot be read")
                .isFalse();

        // A sanitize end to end: started, followed through security/state until the device says
        // it is done.
        JsonNode sanitize = b.result("erase 0x1234 sanitize kernel-it-1");
        assertThat(sanitize.path("state").asString()).isEqualTo("running");
        JsonNode done = b.result("await kernel-it-1");
        assertThat(done.path("status").path("state").asString())
                .as("sanitize completed within the await's limit: %s", done)
                .isEqualTo("completed");

        // A passphrase command the device does not implement: QEMU answers "unsupported", the
        // kernel ENXIO (drivers/cxl/cxlmem.h), and with no passphrase set it is not counted.
        List<JsonNode> before = b.results("device 0x1234");
        JsonNode unimplemented = b.line("erase 0x1234 passphrase-erase kernel-it-2");
        assertThat(unimplemented.path("errno").asString()).isEqualTo("ENXIO");
        assertThat(unimplemented.path("code").asString()).isEqualTo("refused");
        assertThat(before.get(1).path("result").path("unlockAttemptsLeft").asInt())
                .as("no attempt counted for the device's ENXIO")
                .isEqualTo(before.get(0).path("result").path("unlockAttemptsLeft").asInt())
                .isPositive();

        // Reattach: the kernel commits (and invalidates); the label area went with the sanitize,
        // so no dax device comes back until an operator makes the namespace again.
        JsonNode commit = b.result("commit " + region + " 2");
        assertThat(commit.path("committed").asBoolean()).isTrue();
        assertThat(b.file("namespaces-after.txt"))
                .as("the devdax namespace went with 0x1234's labels")
                .contains("\"mode\":\"raw\"");
        assertThat(b.file("namespace-again.txt")).contains("exit 0");
        List<JsonNode> reads = b.results("read " + region + " 0x1234");
        assertThat(reads.get(reads.size() - 1).path("result").path("text").asString())
                .as("0x1234 read back through the new namespace after its sanitize")
                .isNotEqualTo(canaryA)
                .matches("\\x00+");
        List<JsonNode> readsB = b.results("read " + region + " 0x5678");
        assertThat(readsB.get(readsB.size() - 1).path("result").path("text").asString())
                .as("0x5678 was not sanitized: its canary reads back")
                .isEqualTo(canaryB);
        // The physical truth, read after the guest stopped: 0x1234's media and label area hold
        // nothing, 0x5678's hold its canary and labels.
        assertThat(contains(b.images().resolve("cxl1.raw"), canaryA))
                .as("0x1234's canary gone from its media")
                .isFalse();
        assertThat(contains(b.images().resolve("cxl2.raw"), canaryB))
                .as("0x5678's canary still on its media")
                .isTrue();
        assertThat(contains(b.images().resolve("cxl1.raw"), canaryB)).isFalse();
        assertThat(contains(b.images().resolve("cxl2.raw"), canaryA)).isFalse();

        // The names the agent loads 0x1234's key under, from the real kernel's cxl/id: 6.12.117's
        // cxl_pmem looks the key up as "nvdimm:" + the serial in unsigned decimal (drivers/cxl/
        // pmem.c since Debian's 6.12.111), kernels before that in hex; the agent loads both.
        JsonNode names = b.result("keynames 0x1234");
        assertThat(names.path("cxlId").asString()).isEqualTo("4660");
        assertThat(names.path("names").toString()).contains("nvdimm:4660", "nvdimm:1234");
        JsonNode key = b.result("key nvdimm:4660");
        assertThat(key.path("whileLoaded").asString())
                .as("an encrypted key under the name the kernel looks up")
                .contains("encrypted")
                .contains("nvdimm:4660");
        assertThat(key.path("afterRemove").isNull()).as("no key left behind").isTrue();
        // The host's own key: a blob the kernel sealed (as ndctl setup-passphrase makes it), loaded
        // back by the agent's code from nvdimm_4660_<hostname>.blob under the kernel's name.
        JsonNode hostKey = b.result("hostkey 0x1234");
        assertThat(hostKey.path("whileLoaded").asString())
                .as("the sealed key loaded as an encrypted key under the name the kernel looks up")
                .contains("encrypted")
                .contains("nvdimm:4660");
        assertThat(hostKey.path("afterRemove").isNull()).isTrue();
        assertThat(b.result("invalidate").path("evidence").asString()).contains("commit");
        // What the evidence says, seen in the kernel: the agent's reset and commit each made
        // commit_store() invalidate CPU caches (wbinvd on all CPUs).
        List<String> invalidations =
                b.file("trace.txt")
                        .lines()
                        .filter(
                                l ->
                                        l.strip().startsWith("java")
                                                && l.contains(
                                                        "cpu_cache_invalidate_memregion <-commit_store"))
                        .toList();
        assertThat(invalidations)
                .as("ftrace of the agent's reset and commit:%n%s", b.file("trace.txt"))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(b.file("trace.txt"))
                .contains("wbinvd_on_all_cpus <-cpu_cache_invalidate_memregion");

        // --- a VM: the kernel refuses to commit, the agent says why, the region stays detached ---
        JsonNode vmInventory = v.result("inventory");
        assertThat(vmInventory.path("cacheInvalidation").asString()).isEqualTo("unsupported");
        assertThat(vmInventory.path("cacheInvalidationReason").asString()).contains("hypervisor");
        JsonNode refused = v.line("commit " + v.file("region.txt").strip() + " 1");
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.path("code").asString()).isEqualTo("invalidation-unsupported");
        assertThat(refused.path("errno").asString()).isEqualTo("ENXIO");
        assertThat(v.file("commit-after.txt").strip()).isEqualTo("0");
        assertThat(v.file("dmesg.txt"))
                .as("the ENXIO is the invalidation refusal, not a region not ready to commit")
                .contains("Failed to synchronize CPU cache state");
        JsonNode noPayload = v.line("key nvdimm:1234");
        assertThat(noPayload.path("code").asString()).isEqualTo("key-unavailable");
        assertThat(noPayload.path("detail").asString())
                .contains("encrypted_keys.user_decrypted_data=1");

        // --- an NFIT NVDIMM: its nd region disabled and enabled through the nd bus, read-back
        // through its dax device ---
        String serial = n.file("serial.txt").strip();
        JsonNode dimms = n.result("inventory").path("nvdimms");
        assertThat(dimms.size()).isEqualTo(1);
        assertThat(dimms.get(0).path("serial").asString()).isEqualTo(serial);
        assertThat(dimms.get(0).path("sizeBytes").asLong())
                .as("capacity from the region's mapping")
                .isEqualTo(512L << 20);
        assertThat(dimms.get(0).path("securityState").asString())
                .as("QEMU's DIMM offers no security")
                .isEqualTo("disabled");
        JsonNode ndRegion = n.result("inventory").path("regions").get(0);
        assertThat(ndRegion.path("name").asString()).isEqualTo("nd-region0");
        assertThat(ndRegion.path("memdevSerials").get(0).asString()).isEqualTo(serial);
        assertThat(ndRegion.path("committed").asBoolean()).isTrue();
        assertThat(n.line("write nd-region0").path("ok").asBoolean())
                .as("%s", n.line("write nd-region0"))
                .isTrue();
        assertThat(n.line("erase " + serial + " overwrite kernel-it-busy").path("code").asString())
                .as("a DIMM in an enabled region is busy")
                .isEqualTo("busy");
        assertThat(n.result("reset nd-region0 1").path("committed").asBoolean()).isFalse();
        assertThat(n.line("erase " + serial + " overwrite kernel-it-2").path("code").asString())
                .as("no security attribute, no write")
                .isEqualTo("unsupported");
        JsonNode enabled = n.result("commit nd-region0 2");
        assertThat(enabled.path("committed").asBoolean()).isTrue();
        assertThat(enabled.path("cpuView").asString()).matches("dax\\d+\\.\\d+");
        assertThat(n.result("read nd-region0").path("text").asString()).isEqualTo(canaryA);
        assertThat(contains(n.images().resolve("nv1.raw"), canaryA))
                .as("the canary on the DIMM's media")
                .isTrue();
    }

    /** One booted guest's output folder, its memdevs' backing files and its results. */
    record Guest(Path out, Path images, List<JsonNode> lines, String times) {

        JsonNode line(String commandPrefix) {
            return results(commandPrefix).get(0);
        }

        List<JsonNode> results(String commandPrefix) {
            List<JsonNode> found =
                    lines.stream()
                            .filter(l -> l.path("command").asString().startsWith(commandPrefix))
                            .toList();
            assertThat(found).as("results of '%s' in %s", commandPrefix, out).isNotEmpty();
            return found;
        }

        JsonNode result(String commandPrefix) {
            JsonNode line = line(commandPrefix);
            assertThat(line.path("ok").asBoolean()).as("%s", line).isTrue();
            return line.path("result");
        }

        String file(String name) {
            try {
                return Files.readString(out.resolve(name));
            } catch (IOException e) {
                throw new AssertionError("the guest wrote no " + name + " in " + out, e);
            }
        }
    }

    private static Guest boot(
            String cpu,
            String devices,
            String canaryA,
            String canaryB,
            String... kernelParameters) {
        return bootAs(
                devices.equals("nvdimm") ? "nvdimm" : cpu,
                kernel,
                initrd,
                cpu,
                devices,
                canaryA,
                canaryB,
                kernelParameters);
    }

    private static Guest bootAs(
            String name,
            String kernel,
            String initrd,
            String cpu,
            String devices,
            String canaryA,
            String canaryB,
            String... kernelParameters) {
        try {
            Path out = Files.createDirectories(work.resolve(name + "-out"));
            Path images = Files.createDirectories(work.resolve(name + "-img"));
            Files.copy(SCRIPTS.resolve("scenario-" + name + ".sh"), out.resolve("scenario.sh"));
            Files.copy(SCRIPTS.resolve("common.sh"), out.resolve("common.sh"));
            Files.writeString(
                    out.resolve("env.sh"),
                    "JAVA='"
                            + Path.of(System.getProperty("java.home"), "bin", "java")
                            + "'\nCP='"
                            + classpath()
                            + "'\nCANARY_A='"
                            + canaryA
                            + "'\nCANARY_B='"
                            + canaryB
                            + "'\n");
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    "bash",
                                    SCRIPTS.resolve("run-vm.sh").toString(),
                                    kernel,
                                    initrd,
                                    out.toString(),
                                    images.toString(),
                                    cpu,
                                    devices));
            command.addAll(List.of(kernelParameters));
            Run vm = run(command, GUEST_LIMIT);
            if (vm.exit() >= 0 && !vm.output().contains(GUEST_UP)) {
                // The kernel stopped before the guest's init ran (a TCG boot that failed under
                // load): nothing of Lethe's ran, so one more boot, and its console is what counts.
                System.out.printf(
                        "KernelIT: the %s guest did not reach its init; booting it again. Console:%n%s%n",
                        name, tail(vm.output()));
                vm = run(command, GUEST_LIMIT);
            }
            Files.writeString(work.resolve(name + ".console.log"), vm.output());
            if (!Files.exists(out.resolve("agent.jsonl"))) {
                fail(
                        "the "
                                + name
                                + " guest ran no agent (qemu exit "
                                + vm.exit()
                                + "); console:\n"
                                + tail(vm.output())
                                + "\nscenario: "
                                + read(out.resolve("scenario.log"))
                                + "\nagent: "
                                + read(out.resolve("agent.err")));
            }
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(out.resolve("agent.jsonl"))) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                }
            }
            if (lines.isEmpty()) {
                fail("the " + name + " agent answered nothing: " + read(out.resolve("agent.err")));
            }
            return new Guest(
                    out, images, lines, read(out.resolve("times.txt")).replace('\n', ' ').strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test's own class path (surefire may hand the JVM a manifest-only jar under /tmp instead).
     */
    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static boolean contains(Path file, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[1 << 20];
        int carry = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer, carry, buffer.length - carry)) > 0) {
                int end = carry + n;
                outer:
                for (int i = 0; i + needle.length <= end; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (buffer[i + j] != needle[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
                carry = Math.min(needle.length - 1, end);
                System.arraycopy(buffer, end - carry, buffer, 0, carry);
            }
        }
        return false;
    }

    record Run(int exit, String output) {}

    private static Run run(List<String> command, Duration limit) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> output =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return new String(
                                            process.getInputStream().readAllBytes(),
                                            StandardCharsets.UTF_8);
                                } catch (IOException e) {
                                    return "";
                                }
                            });
            if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Run(-1, "timed out after " + limit + "\n" + output.getNow(""));
            }
            return new Run(process.exitValue(), output.get(30, TimeUnit.SECONDS));
        } catch (IOException e) {
            return new Run(-2, e.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String tail(String text) {
        return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
    }
}
