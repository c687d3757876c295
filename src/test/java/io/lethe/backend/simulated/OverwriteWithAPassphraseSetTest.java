package io.lethe.backend.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.backend.BackendException;
import io.lethe.backend.EraseMethod;
import io.lethe.backend.simulated.SimulatedMachine.SimDevice;
import io.lethe.device.SecurityState;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An overwrite of a simulated DIMM whose passphrase is set, as the NVDIMM test firmware answers it
 * ({@code tools/testing/nvdimm/test/nfit.c} {@code nd_intel_test_cmd_overwrite()}, Debian 6.12.118:
 * the passphrase given is compared, the zero key when none; KernelIT's nfit_test guest shows a
 * wrong one refused with EINVAL). The assumption: that firmware is what such a DIMM does.
 */
class OverwriteWithAPassphraseSetTest {

    private static final String USER = "user-passphrase";

    private final SimulatedMachine machine = new SimulatedMachine();
    private final UUID device = UUID.randomUUID();
    private final Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void itNeedsThatPassphraseAndAWrongOneCounts() {
        machine.addDevice(device, "nvdimm", SecurityState.UNLOCKED, USER, null);

        assertThatThrownBy(() -> overwrite(null))
                .isInstanceOf(BackendException.Refused.class)
                .hasMessageContaining("EINVAL");
        assertThat(sim().erase).as("no overwrite started").isNull();
        assertThat(sim().attemptsLeft).isEqualTo(SimulatedMachine.UNLOCK_ATTEMPTS);

        assertThatThrownBy(() -> overwrite("not-it"))
                .isInstanceOf(BackendException.WrongPassphrase.class);
        assertThat(sim().attemptsLeft).isEqualTo(SimulatedMachine.UNLOCK_ATTEMPTS - 1);
        assertThat(sim().erase).as("no overwrite started").isNull();

        overwrite(USER);
        assertThat(sim().erase).as("the overwrite runs").isNotNull();
    }

    @Test
    void withoutAPassphraseSetNoneIsAsked() {
        machine.addDevice(device, "nvdimm", SecurityState.DISABLED, null, null);

        overwrite(null);
        assertThat(sim().erase).as("the overwrite runs").isNotNull();
    }

    private void overwrite(String passphrase) {
        SimulatedSecurity.startErase(
                machine,
                device,
                EraseMethod.OVERWRITE,
                false,
                passphrase,
                "ticket",
                now,
                Duration.ofMillis(200));
    }

    private SimDevice sim() {
        return machine.device(device);
    }
}
