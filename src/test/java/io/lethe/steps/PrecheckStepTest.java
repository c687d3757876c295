package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.HostBackend.DeviceReading;
import io.lethe.device.SecurityState;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationFixtures;
import io.lethe.engine.OperationType;
import io.lethe.engine.ReadBack;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class PrecheckStepTest extends StepTest {

    @Autowired PrecheckStep step;

    @Test
    void aFrozenDeviceIsRefusedAndWhatTheHostReadIsRecorded() {
        StepWorld world = world();
        world.backend.reading = new DeviceReading(SecurityState.FROZEN, null);
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);

        StepResult result = world.run(step, op, StepName.PRECHECK);
        world.record(result, op);

        assertThat(result).isInstanceOf(StepResult.Fail.class);
        assertThat(((StepResult.Fail) result).reason()).contains("frozen");
        assertThat(world.deviceColumn("security_state")).isEqualTo("frozen");
        assertThat(world.backend.calls).containsExactly("readDevice(" + world.serial + ")");
    }

    @Test
    void aHostThatCannotInvalidateItsCachesIsRefusedBeforeAnythingIsWritten() {
        StepWorld world = new StepWorld(context, false).inRegion(true);
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);

        StepResult result = world.run(step, op, StepName.PRECHECK);

        assertThat(result).isInstanceOf(StepResult.Fail.class);
        assertThat(((StepResult.Fail) result).reason())
                .contains("cannot invalidate its CPU caches");
        assertThat(world.backend.calls).noneMatch(c -> c.startsWith("writeThroughCpu"));
    }

    @Test
    void onADecodingRegionACanaryIsWrittenThroughTheCpuAndOnlyItsDigestKept() {
        StepWorld world = world().inRegion(true);
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);

        StepResult result = world.run(step, op, StepName.PRECHECK);
        world.record(result, op);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        byte[] canary = world.backend.written.get(world.serial);
        assertThat(canary).hasSize(64);
        String evidence = OperationFixtures.verifyEvidence(op);
        assertThat(evidence)
                .isNotEqualTo(ReadBack.EVIDENCE_REGION_DETACHED)
                .doesNotContain(java.util.HexFormat.of().formatHex(canary));
        assertThat(VerifyEvidence.stillReadable(evidence, canary)).containsExactly(0);
    }

    @Test
    void whereTheRegionDoesNotDecodeNoCanaryIsWrittenAndTheEvidenceSaysWhy() {
        StepWorld world = world().inRegion(false);
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);

        StepResult result = world.run(step, op, StepName.PRECHECK);
        world.record(result, op);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(world.backend.written).isEmpty();
        assertThat(OperationFixtures.verifyEvidence(op))
                .isEqualTo(ReadBack.EVIDENCE_REGION_DETACHED);
    }
}
