package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.EraseMethod;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationType;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class VerifyStepTest extends StepTest {

    @Autowired VerifyStep step;
    @Autowired PrecheckStep precheck;

    /** The canary precheck wrote through the CPU, with its digest in the operation's ledger. */
    private byte[] canaryTaken(StepWorld world, Operation op) {
        world.record(world.run(precheck, op, StepName.PRECHECK), op);
        world.backend.calls.clear();
        return world.backend.written.get(world.serial);
    }

    @Test
    void aCanaryGoneFromTheMediaAndTheCpuViewVerifiesTheErase() {
        StepWorld world = world().inRegion(true);
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);
        canaryTaken(world, op);

        StepResult result = world.run(step, op, StepName.VERIFY);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(((StepResult.Done) result).detail())
                .contains("gone from the media and from the CPU's view");
        assertThat(world.backend.calls)
                .containsExactly(
                        "readMedia(" + world.serial + ")",
                        "readThroughCpu(" + world.region().name() + ", " + world.serial + ")");
    }

    @Test
    void aCanaryStillReadableThroughTheCpuIsAStaleCacheAndFailsTheErase() {
        StepWorld world = world().inRegion(true);
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);
        byte[] canary = canaryTaken(world, op);
        world.backend.cpuView = Arrays.copyOf(canary, 128);

        StepResult result = world.run(step, op, StepName.VERIFY);

        assertThat(result).isInstanceOf(StepResult.Fail.class);
        assertThat(((StepResult.Fail) result).reason()).contains("stale cache lines");
    }

    @Test
    void aCanaryStillOnTheMediaFailsTheEraseBeforeTheCpuIsAsked() {
        StepWorld world = world().inRegion(true);
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);
        world.backend.media = canaryTaken(world, op);

        StepResult result = world.run(step, op, StepName.VERIFY);

        assertThat(result).isInstanceOf(StepResult.Fail.class);
        assertThat(((StepResult.Fail) result).reason()).contains("still on the media");
        assertThat(world.backend.calls).noneMatch(c -> c.startsWith("readThroughCpu"));
    }

    @Test
    void withoutEvidenceTakenBeforeTheEraseNothingIsVerified() {
        StepWorld world = world().inRegion(true);
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);

        StepResult result = world.run(step, op, StepName.VERIFY);

        assertThat(result).isInstanceOf(StepResult.Fail.class);
        assertThat(((StepResult.Fail) result).reason()).contains("no pre-erase evidence");
    }
}
