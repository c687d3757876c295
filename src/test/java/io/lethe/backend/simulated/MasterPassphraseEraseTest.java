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
 * A passphrase erase with the master passphrase on a simulated device, as the kernel and its NVDIMM
 * test firmware answer it (read in {@code drivers/nvdimm/security.c} {@code security_erase()} and
 * {@code tools/testing/nvdimm/test/nfit.c} {@code nd_intel_test_cmd_master_secure_erase()}, Debian
 * 6.12.118, and run in KernelIT's nfit_test guest). The assumption: those two sources are what a
 * device with an enabled master passphrase does.
 */
class MasterPassphraseEraseTest {

    private static final String USER = "user-passphrase";
    private static final String MASTER = "master-passphrase";
    private static final Duration LATENCY = Duration.ofMillis(200);

    private final SimulatedMachine machine = new SimulatedMachine();
    private final UUID device = UUID.randomUUID();
    private final Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void aMasterEraseIsRefusedWhileNoMasterPassphraseIsEnabled() {
        machine.addDevice(device, "nvdimm", SecurityState.UNLOCKED, USER, null);

        assertThatThrownBy(() -> masterErase(USER))
                .isInstanceOf(BackendException.Refused.class)
                .hasMessageContaining("EOPNOTSUPP");
        assertThat(sim().security).isEqualTo(SecurityState.UNLOCKED);
        assertThat(sim().erase).as("no erase started").isNull();
    }

    @Test
    void theUsersPassphraseIsNotTheMasterPassphraseAndAWrongOneCountsNoAttempt() {
        machine.addDevice(device, "nvdimm", SecurityState.UNLOCKED, USER, MASTER);

        assertThatThrownBy(() -> masterErase(USER))
                .isInstanceOf(BackendException.WrongPassphrase.class);
        assertThat(sim().attemptsLeft).isEqualTo(SimulatedMachine.UNLOCK_ATTEMPTS);
        assertThat(sim().erase).as("no erase started").isNull();
    }

    @Test
    void aMasterEraseChangesTheMediaClearsTheUsersPassphraseAndKeepsTheMasters() {
        machine.addDevice(device, "nvdimm", SecurityState.LOCKED, USER, MASTER);
        byte[] before = sim().media.clone();

        masterErase(MASTER);
        SimulatedSecurity.settle(machine, now.plus(LATENCY));

        assertThat(sim().media).isNotEqualTo(before);
        assertThat(sim().security).isEqualTo(SecurityState.DISABLED);
        assertThat(SimulatedSecurity.matches(sim(), USER)).isFalse();
        assertThat(sim().passphraseHash).isNull();
        assertThat(sim().masterHash).as("the master passphrase stays enabled").isNotNull();
    }

    @Test
    void onlyAPassphraseEraseTakesTheMasterPassphrase() {
        machine.addDevice(device, "nvdimm", SecurityState.DISABLED, null, MASTER);

        assertThatThrownBy(
                        () ->
                                SimulatedSecurity.startErase(
                                        machine,
                                        device,
                                        EraseMethod.OVERWRITE,
                                        true,
                                        MASTER,
                                        "t",
                                        now,
                                        LATENCY))
                .isInstanceOf(BackendException.Refused.class);
        assertThat(sim().erase).isNull();
    }

    private void masterErase(String passphrase) {
        SimulatedSecurity.startErase(
                machine,
                device,
                EraseMethod.PASSPHRASE_ERASE,
                true,
                passphrase,
                "ticket",
                now,
                LATENCY);
    }

    private SimDevice sim() {
        return machine.device(device);
    }
}
