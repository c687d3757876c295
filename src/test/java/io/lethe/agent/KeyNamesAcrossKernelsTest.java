package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.agent.EmulatedKernel.KeyNaming;
import io.lethe.agent.EmulatedKernel.Memdev;
import io.lethe.support.Api;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 34, defect 1: the key name a kernel looks up at a CXL bridge's probe changed with Debian's
 * 6.12.111 (hex before, unsigned decimal since; drivers/cxl/pmem.c), and nothing in sysfs or {@code
 * uname} tells which a host runs. The agent unlocks on both kernels, reads {@code cxl/id} signed or
 * unsigned, and never uses, replaces or removes a key it did not add. The emulated kernel's two
 * namings are taken from the two drivers/cxl/pmem.c versions (Debian's 6.12.118 source and its
 * changelog); the assumption is that the emulation looks keys up as they do.
 */
class KeyNamesAcrossKernelsTest extends AgentOnEmulatedKernel {

    static final String TOKEN = "agent-token-for-key-names-0123";
    static final String PASSPHRASE = "the-locked-device-passphrase";
    static final String OTHER = "the-other-device-passphrase";

    private Api start(KeyNaming naming, Memdev... memdevs) {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.build(
                                        root,
                                        false,
                                        Duration.ofSeconds(3),
                                        List.of(memdevs),
                                        List.of(),
                                        List.of())
                                .keyNaming(naming),
                        TOKEN);
        return new Api(agent.port(), TOKEN);
    }

    private static Api.Response unlock(Api api, String serial, String passphrase) {
        return api.post(
                "/agent/v1/devices/" + serial + "/unlock",
                Api.json(Map.of("passphrase", passphrase)));
    }

    @ParameterizedTest
    @EnumSource(KeyNaming.class)
    void unlocksUnderTheNameItsKernelLooksUp(KeyNaming naming) {
        Api api = start(naming, new Memdev(0, 0x1234, PASSPHRASE, true));
        int before = api.get("/agent/v1/devices/0x1234").json().path("unlockAttemptsLeft").asInt();
        Api.Response unlocked = unlock(api, "0x1234", PASSPHRASE);
        assertThat(unlocked.status()).as(unlocked.body()).isEqualTo(204);
        assertThat(root.resolve("sys/bus/cxl/devices/mem0/security/state"))
                .content()
                .isEqualTo("unlocked\n");
        assertThat(api.get("/agent/v1/devices/0x1234").json().path("unlockAttemptsLeft").asInt())
                .as("no attempt spent on a key the kernel did not find")
                .isEqualTo(before);
        assertThat(agent.kernel().keys()).as("no key left behind").isZero();
    }

    @ParameterizedTest
    @EnumSource(KeyNaming.class)
    void aSerialOf2To63AndAboveIsReadSignedOrUnsigned(KeyNaming naming) {
        long serial = 0x8000_0000_0000_1234L;
        Api api = start(naming, new Memdev(0, serial, PASSPHRASE, true));
        assertThat(root.resolve("sys/bus/nd/devices/nmem0/cxl/id"))
                .content()
                .startsWith(naming == KeyNaming.HEX_BEFORE_6_12_111 ? "-" : "9");
        assertThat(unlock(api, "0x8000000000001234", PASSPHRASE).status()).isEqualTo(204);
        assertThat(root.resolve("sys/bus/cxl/devices/mem0/security/state"))
                .content()
                .isEqualTo("unlocked\n");
        assertThat(agent.kernel().keys()).isZero();
    }

    /**
     * Serial 4660 in decimal and serial 0x4660 in hex are both {@code nvdimm:4660}; ndctl, which
     * names keys in decimal, left one for the first in the user keyring.
     */
    @ParameterizedTest
    @EnumSource(KeyNaming.class)
    void aKeyItDidNotAddIsNeitherUsedNorReplacedNorRemoved(KeyNaming naming) {
        Api api =
                start(
                        naming,
                        new Memdev(0, 4660, PASSPHRASE, true),
                        new Memdev(1, 0x4660, OTHER, true));
        long ndctls = agent.kernel().foreignKey("nvdimm:4660", PASSPHRASE);
        for (String serial : List.of("0x4660", "0x1234")) {
            int before =
                    api.get("/agent/v1/devices/" + serial)
                            .json()
                            .path("unlockAttemptsLeft")
                            .asInt();
            Api.Response refused =
                    unlock(api, serial, serial.equals("0x4660") ? OTHER : PASSPHRASE);
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.text("code")).isEqualTo("key-unavailable");
            assertThat(refused.text("detail")).contains("nvdimm:4660", "did not add");
            assertThat(
                            api.get("/agent/v1/devices/" + serial)
                                    .json()
                                    .path("unlockAttemptsLeft")
                                    .asInt())
                    .as("nothing reached %s", serial)
                    .isEqualTo(before);
        }
        assertThat(root.resolve("sys/bus/cxl/devices/mem0/security/state"))
                .content()
                .isEqualTo("locked\n");
        assertThat(root.resolve("sys/bus/cxl/devices/mem1/security/state"))
                .content()
                .isEqualTo("locked\n");
        assertThat(agent.kernel().keyDescriptions())
                .as("ndctl's key is there, unchanged, and nothing else")
                .containsExactly("nvdimm:4660");

        agent.kernel().remove(ndctls);
        assertThat(unlock(api, "0x4660", OTHER).status()).isEqualTo(204);
        assertThat(unlock(api, "0x1234", PASSPHRASE).status()).isEqualTo(204);
        assertThat(agent.kernel().keys()).isZero();
    }
}
