package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.BackendException;
import io.lethe.backend.HostBackend.DeviceReading;
import io.lethe.device.SecurityState;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationFixtures;
import io.lethe.engine.OperationType;
import io.lethe.engine.PassphraseVault;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class UnlockStepTest extends StepTest {

    @Autowired UnlockStep step;
    @Autowired PassphraseVault vault;

    @Test
    void anUnlockRecordsAMediaChangeBecauseTheMemoryNowReadsDifferently() {
        StepWorld world = world().inRegion(false);
        world.backend.reading = new DeviceReading(SecurityState.LOCKED, 5);
        Operation op = world.operation(OperationType.UNLOCK_DEVICE, null);
        vault.hold(op.id(), "correct horse battery staple");

        StepResult result = world.run(step, op, StepName.UNLOCK);
        world.record(result, op);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(world.backend.calls).contains("unlock(" + world.serial + ")");
        assertThat(OperationFixtures.mediaChangeSeq(op)).isNotNull();
        assertThat(world.deviceColumn("security_state")).isEqualTo("unlocked");
    }

    @Test
    void aWrongPassphraseFailsUntouchedAndRecordsTheAttemptsTheDeviceHasLeft() {
        StepWorld world = world().inRegion(false);
        world.backend.reading = new DeviceReading(SecurityState.LOCKED, 5);
        world.backend.unlockFailure = new BackendException.WrongPassphrase(4);
        Operation op = world.operation(OperationType.UNLOCK_DEVICE, null);
        vault.hold(op.id(), "wrong horse");

        StepResult result = world.run(step, op, StepName.UNLOCK);
        world.record(result, op);

        assertThat(result).isInstanceOf(StepResult.Fail.class);
        assertThat(((StepResult.Fail) result).memoryUntouched()).isTrue();
        assertThat(((StepResult.Fail) result).reason()).doesNotContain("wrong horse");
        assertThat(world.deviceColumn("security_state")).isEqualTo("locked");
        assertThat(world.deviceColumn("unlock_attempts_left")).isEqualTo("4");
        assertThat(OperationFixtures.mediaChangeSeq(op)).isNull();
    }

    @Test
    void aPassphraseHeldByAnotherReplicaIsWaitedForWithoutTouchingTheDevice() {
        StepWorld world = world();
        world.backend.reading = new DeviceReading(SecurityState.LOCKED, 5);
        Operation op = world.operation(OperationType.UNLOCK_DEVICE, null);

        StepResult result = world.run(step, op, StepName.UNLOCK);

        assertThat(result).isInstanceOf(StepResult.Poll.class);
        assertThat(world.backend.calls).noneMatch(c -> c.startsWith("unlock"));
    }
}
