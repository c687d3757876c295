package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.agent.EmulatedKernel.Nvdimm;
import io.lethe.support.Api;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 34, defect 5: an overwrite with a passphrase is a passphrase command. Intel's NFIT DSM
 * answers a wrong passphrase with -EINVAL (drivers/acpi/nfit/intel.c), which spent an attempt the
 * agent did not count; no key the kernel can use is -ENOKEY and a frozen DIMM -EIO, where nothing
 * reached the device. The emulated kernel answers as those sources do.
 */
class OverwriteWithAPassphraseTest extends AgentOnEmulatedKernel {

    static final String TOKEN = "agent-token-for-overwrite-0123";
    static final String PASSPHRASE = "the-nvdimm-passphrase";
    static final String SERIAL = "0x000d1064";

    private Api start() {
        Api api = startOn(TOKEN, List.of(), List.of(new Nvdimm(100, 0xd1064, PASSPHRASE)));
        assertThat(api.post("/agent/v1/regions/nd-region100/reset", AgentApiTest.fence()).status())
                .isEqualTo(200);
        return api;
    }

    private static Api.Response overwrite(Api api, String passphrase, String ticket) {
        return api.post(
                "/agent/v1/devices/" + SERIAL + "/erase",
                Api.json(
                        Map.of("method", "overwrite", "ticket", ticket, "passphrase", passphrase)));
    }

    private static int attemptsLeft(Api api) {
        return api.get("/agent/v1/devices/" + SERIAL).json().path("unlockAttemptsLeft").asInt();
    }

    @Test
    void aWrongPassphraseIsCountedAndTheLastAttemptsAreKeptFromTheDevice() {
        Api api = start();
        int before = attemptsLeft(api);
        for (int i = 1; i <= before; i++) {
            Api.Response wrong = overwrite(api, "not-it", "w" + i);
            assertThat(wrong.status()).as(wrong.body()).isEqualTo(422);
            assertThat(wrong.text("code")).isEqualTo("wrong-passphrase");
            assertThat(wrong.json().path("attemptsLeft").asInt()).isEqualTo(before - i);
        }
        Api.Response right = overwrite(api, PASSPHRASE, "r1");
        assertThat(right.status()).as("none left: refused before the device").isNotEqualTo(202);
        assertThat(root.resolve("sys/bus/nd/devices/nmem100/security"))
                .content()
                .isNotEqualTo("overwrite\n");
        assertThat(agent.kernel().keys()).isZero();
    }

    @Test
    void theRightPassphraseStartsTheOverwrite() {
        Api api = start();
        Api.Response started = overwrite(api, PASSPHRASE, "ok1");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        assertThat(root.resolve("sys/bus/nd/devices/nmem100/security"))
                .content()
                .isEqualTo("overwrite\n");
        assertThat(agent.kernel().keys()).isZero();
    }

    @Test
    void aFrozenDimmIsRefusedWithoutCountingAnAttempt() {
        Api api = start();
        int before = attemptsLeft(api);
        agent.kernel().write("sys/bus/nd/devices/nmem100/security", "freeze");
        Api.Response frozen = overwrite(api, PASSPHRASE, "f1");
        assertThat(frozen.status()).as(frozen.body()).isEqualTo(409);
        assertThat(frozen.text("errno")).isEqualTo("EIO");
        assertThat(attemptsLeft(api)).isEqualTo(before);
    }
}
