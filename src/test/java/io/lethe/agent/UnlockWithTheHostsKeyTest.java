package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 34, defect 6: a DIMM whose passphrase ndctl set up is unlocked with the host's own sealed
 * key (ndctl's blob under {@code /etc/ndctl/keys}), so no passphrase leaves the host; only for
 * devices the agent's configuration lists. Rests on: ndctl's blob naming and format (pmem/ndctl
 * {@code ndctl/keys.c}), which {@code KernelIT} loads into a real kernel's keyring; the emulated
 * kernel's unlock at probe compares the loaded key with the device's passphrase.
 */
class UnlockWithTheHostsKeyTest extends AgentOnEmulatedKernel {

    static final String TOKEN = "agent-token-for-the-host-key-0123";
    static final String PASSPHRASE = "the-passphrase-ndctl-set-up";
    // memdev 0x1002 (nmem2): the kernel looks its key up as nvdimm:4098 (6.12.111 and later)
    static final String BLOB = "nvdimm_4098_lethe-test-host.blob";

    @TempDir Path keys;

    private Api start(String enabledSerials) {
        return startStandard(
                TOKEN,
                PASSPHRASE,
                false,
                "--lethe.agent.host-key-dir=" + keys,
                "--lethe.agent.host-key-serials=" + enabledSerials);
    }

    private static Api.Response unlockWithTheHostsKey(Api api) {
        return api.post("/agent/v1/devices/0x1002/unlock", Api.json(Map.of("key", "host-key")));
    }

    private static String state(Api api) {
        return api.get("/agent/v1/devices/0x1002").text("securityState");
    }

    private static int attemptsLeft(Api api) {
        return api.get("/agent/v1/devices/0x1002").json().path("unlockAttemptsLeft").asInt();
    }

    @Test
    void aDeviceListedInTheConfigurationUnlocksWithTheHostsSealedKeyAndNoKeyIsLeft()
            throws Exception {
        Files.writeString(keys.resolve(BLOB), EmulatedKernel.sealedBlob(PASSPHRASE) + "\n");
        Api api = start("0x1001,0x1002");

        Api.Response unlocked = unlockWithTheHostsKey(api);

        assertThat(unlocked.status()).as(unlocked.body()).isEqualTo(204);
        assertThat(state(api)).isEqualTo("unlocked");
        assertThat(agent.kernel().keyDescriptions()).as("the loaded keys are gone").isEmpty();
    }

    @Test
    void aDeviceNotListedIsRefusedBeforeAnythingReachesIt() throws Exception {
        Files.writeString(keys.resolve(BLOB), EmulatedKernel.sealedBlob(PASSPHRASE));
        Api api = start("0x1001");

        Api.Response refused = unlockWithTheHostsKey(api);

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("host-key-not-enabled");
        assertThat(state(api)).isEqualTo("locked");
        assertThat(attemptsLeft(api)).isEqualTo(3);
    }

    @Test
    void aSealedKeyForAnotherPassphraseIsAWrongPassphraseAndCounts() throws Exception {
        Files.writeString(keys.resolve(BLOB), EmulatedKernel.sealedBlob("an-older-passphrase"));
        Api api = start("0x1002");

        Api.Response wrong = unlockWithTheHostsKey(api);

        assertThat(wrong.status()).as(wrong.body()).isEqualTo(422);
        assertThat(wrong.text("code")).isEqualTo("wrong-passphrase");
        assertThat(attemptsLeft(api)).isEqualTo(2);
        assertThat(state(api)).isEqualTo("locked");
    }

    @Test
    void noBlobOrNoMasterKeyIsAKeyUnavailableThatReachesNothing() throws Exception {
        Api api = start("0x1002");
        Api.Response noBlob = unlockWithTheHostsKey(api);
        assertThat(noBlob.status()).as(noBlob.body()).isEqualTo(409);
        assertThat(noBlob.text("code")).isEqualTo("key-unavailable");
        assertThat(noBlob.text("detail")).contains(BLOB);

        Files.writeString(keys.resolve(BLOB), EmulatedKernel.sealedBlob(PASSPHRASE));
        agent.kernel().masterKeyLoaded(false);
        Api.Response noMaster = unlockWithTheHostsKey(api);
        assertThat(noMaster.text("code")).isEqualTo("key-unavailable");
        assertThat(attemptsLeft(api)).isEqualTo(3);
        assertThat(state(api)).isEqualTo("locked");
    }

    @Test
    void theHostsKeyTakesNoPassphraseAndAnUnknownKeyIsABadRequest() {
        Api api = start("0x1002");
        Api.Response both =
                api.post(
                        "/agent/v1/devices/0x1002/unlock",
                        Api.json(Map.of("key", "host-key", "passphrase", PASSPHRASE)));
        assertThat(both.status()).as(both.body()).isEqualTo(400);
        Api.Response unknown =
                api.post(
                        "/agent/v1/devices/0x1002/unlock",
                        Api.json(Map.of("key", "tpm", "passphrase", PASSPHRASE)));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(state(api)).isEqualTo("locked");
    }
}
