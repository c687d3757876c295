package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What {@link KernelIT}'s nfit_test guest must show: NVDIMM passphrase security driven by the
 * agent's own code on Debian's 6.12 kernel, whose libnvdimm and ACPI NFIT code answer it, over the
 * kernel's own test DIMMs ({@code tools/testing/nvdimm}, built by {@code build-nfit-test.sh} with
 * {@code CONFIG_NVDIMM_SECURITY_TEST}). The oracle is the kernel: its security state machine, its
 * errnos and its key lookup, and nfit_test's emulation of Intel's security DSMs (written by the
 * kernel's developers for the kernel's own tests). The assumption this rests on: that emulation
 * answers as Intel's DIMMs do (status codes, a passphrase compared over all 32 bytes, overwrite
 * running on in the DIMM); nfit_test keeps no media for its erases to clear, so the media read-back
 * of an erase is shown on QEMU's CXL memdevs instead.
 */
final class NfitTestDimms {

    static final String A = "0xffffffff"; // passphrase set by ndctl setup-passphrase: host's key
    static final String B = "0xfeffffff"; // a passphrase Lethe is given

    private NfitTestDimms() {}

    static void check(KernelIT.Guest t) {
        String[] dimms = t.file("dimms.txt").strip().split(" ");
        String idA = dimms[1];

        // The kernel's own EBUSY for a security command while the DIMM's region is enabled (a raw
        // write), and the agent's precheck saying the same before it writes.
        assertThat(t.file("raw-busy.txt"))
                .as("a raw overwrite with the region enabled")
                .contains("Device or resource busy")
                .contains("exit 1");
        assertThat(t.line("erase " + A + " overwrite kit-busy").path("code").asString())
                .isEqualTo("busy");

        // Passphrases set: A by ndctl (its sealed blob named for the DIMM's id and the host), B
        // through the kernel's interface; both DIMMs then report security enabled.
        assertThat(t.file("blobs.txt")).contains("nvdimm_" + idA + "_lethe-nfit.blob");
        assertThat(t.file("security-set.txt").lines().toList())
                .containsExactly("unlocked", "unlocked");
        assertThat(t.results("device " + A).get(0).path("result").path("securityState").asString())
                .as("locked through nfit_test's lock_dimm")
                .isEqualTo("locked");

        // ndctl's own key is still in the keyring: the agent refuses before the device is asked.
        List<JsonNode> hostKeyUnlocks = t.results("unlock " + A + " --host-key");
        assertThat(hostKeyUnlocks).hasSize(3);
        assertThat(hostKeyUnlocks.get(0).path("code").asString()).isEqualTo("key-unavailable");
        assertThat(hostKeyUnlocks.get(0).path("detail").asString()).contains("did not add");

        // A wrong passphrase reaches the DIMM, is refused, and counts.
        JsonNode wrong = t.line("unlock " + B + " not-the-passphrase");
        assertThat(wrong.path("code").asString()).isEqualTo("wrong-passphrase");
        JsonNode afterWrong = t.results("device " + B).get(0).path("result");
        assertThat(afterWrong.path("securityState").asString()).isEqualTo("locked");
        assertThat(afterWrong.path("unlockAttemptsLeft").asInt()).isEqualTo(2);

        // The host's own key (ndctl's blob, loaded by the agent) and the given passphrase unlock.
        JsonNode byHostKey = hostKeyUnlocks.get(1);
        assertThat(byHostKey.path("ok").asBoolean()).as("%s", byHostKey).isTrue();
        assertThat(byHostKey.path("result").path("securityState").asString()).isEqualTo("unlocked");
        JsonNode byPassphrase = t.result("unlock " + B + " kernel-it-pass");
        assertThat(byPassphrase.path("securityState").asString()).isEqualTo("unlocked");
        assertThat(byPassphrase.path("unlockAttemptsLeft").asInt())
                .as("a success resets the count")
                .isEqualTo(3);

        // Overwrite: a wrong passphrase is the DIMM's EINVAL (drivers/acpi/nfit/intel.c, Debian
        // 6.12.118) and
        // counts; the right one runs on in the DIMM and is followed until it is done.
        JsonNode wrongOverwrite =
                t.line("erase " + B + " overwrite kit-ow-wrong not-the-passphrase");
        assertThat(wrongOverwrite.path("code").asString()).isEqualTo("wrong-passphrase");
        assertThat(wrongOverwrite.path("errno").asString()).isEqualTo("EINVAL");
        assertThat(wrongOverwrite.path("detail").asString()).contains("2 attempt(s) left");
        JsonNode overwrite = t.result("erase " + B + " overwrite kit-ow kernel-it-pass");
        assertThat(overwrite.path("state").asString()).isEqualTo("running");
        assertThat(overwrite.path("detail").asString()).contains("security state overwrite");
        JsonNode overwritten = t.result("await kit-ow");
        assertThat(overwritten.path("status").path("state").asString())
                .as("%s", overwritten)
                .isEqualTo("completed");

        // Passphrase erase: wrong answered and counted; right completes and clears the passphrase.
        JsonNode wrongErase =
                t.line("erase " + B + " passphrase-erase kit-erase-wrong not-the-passphrase");
        assertThat(wrongErase.path("code").asString()).isEqualTo("wrong-passphrase");
        assertThat(wrongErase.path("errno").asString()).isEqualTo("EINVAL");
        JsonNode erased = t.result("erase " + B + " passphrase-erase kit-erase kernel-it-pass");
        assertThat(erased.path("state").asString()).isEqualTo("completed");
        JsonNode afterErase = t.results("device " + B).get(1).path("result");
        assertThat(afterErase.path("securityState").asString())
                .as("a secure erase leaves no passphrase")
                .isEqualTo("disabled");

        // Master passphrase erase. nfit_test enables each DIMM's master passphrase as it loads (all
        // zeros); the guest set B's to a known one and gave B a user passphrase again, both through
        // the kernel's own interface. A wrong master passphrase is the DIMM's INVALID_PASS (EINVAL,
        // drivers/acpi/nfit/intel.c intel_security_erase(), Debian 6.12.118) and leaves the user
        // passphrase in place; the right one clears the user passphrase and keeps the master's,
        // which then erases the DIMM again with no user passphrase set.
        assertThat(t.file("master-set.txt").lines().toList())
                .containsExactly("master_update exit 0", "update exit 0");
        List<JsonNode> bStates = t.results("device " + B);
        assertThat(bStates.get(2).path("result").path("securityState").asString())
                .as("a user passphrase set again")
                .isEqualTo("unlocked");
        JsonNode wrongMaster =
                t.line("erase " + B + " passphrase-erase kit-m1-wrong not-the-master --master");
        assertThat(wrongMaster.path("code").asString())
                .as("%s", wrongMaster)
                .isEqualTo("wrong-passphrase");
        assertThat(wrongMaster.path("errno").asString()).isEqualTo("EINVAL");
        assertThat(wrongMaster.path("detail").asString()).contains("no attempt counted");
        JsonNode afterWrongMaster = bStates.get(3).path("result");
        assertThat(afterWrongMaster.path("securityState").asString()).isEqualTo("unlocked");
        assertThat(afterWrongMaster.path("unlockAttemptsLeft").asInt())
                .as("a wrong master passphrase costs the user passphrase nothing")
                .isEqualTo(3);
        JsonNode masterErased = t.result("erase " + B + " passphrase-erase kit-m2 ");
        assertThat(masterErased.path("state").asString()).isEqualTo("completed");
        assertThat(bStates.get(4).path("result").path("securityState").asString())
                .as("a master erase clears the user passphrase")
                .isEqualTo("disabled");
        JsonNode again = t.result("erase " + B + " passphrase-erase kit-m3 ");
        assertThat(again.path("state").asString())
                .as("the master passphrase outlives its erase, with no user passphrase set")
                .isEqualTo("completed");

        // Frozen (ndctl freeze-security): the kernel's EIO, raw and through the agent.
        assertThat(t.results("device " + A).get(1).path("result").path("securityState").asString())
                .isEqualTo("frozen");
        assertThat(t.file("raw-frozen.txt")).contains("Input/output error").contains("exit 1");
        JsonNode frozenErase = t.line("erase " + A + " passphrase-erase kit-frozen");
        assertThat(frozenErase.path("code").asString()).isEqualTo("refused");
        assertThat(frozenErase.path("errno").asString()).isEqualTo("EIO");
        assertThat(hostKeyUnlocks.get(2).path("code").asString()).isEqualTo("refused");
        assertThat(hostKeyUnlocks.get(2).path("detail").asString()).contains("frozen");

        // The region back after the erase: the kernel invalidates CPU caches as it enables it
        // (drivers/nvdimm/region_devs.c nd_region_invalidate_memregion(), Debian 6.12.118: for
        // DIMMs the erase
        // marked incoherent), seen in ftrace while the agent commits.
        assertThat(t.result("commit nd-region0 2").path("committed").asBoolean()).isTrue();
        assertThat(t.file("trace.txt"))
                .as("ftrace of the agent's commit after the erase")
                .contains("cpu_cache_invalidate_memregion <-nd_region_activate")
                .contains("wbinvd_on_all_cpus <-cpu_cache_invalidate_memregion");
    }
}
