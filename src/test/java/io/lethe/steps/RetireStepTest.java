package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.EraseMethod;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationType;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RetireStepTest extends StepTest {

    @Autowired RetireStep step;

    @Test
    void aRetiredDeviceKeepsItsRegionDetachedForGoodWithoutAskingTheHost() {
        StepWorld world = world().inRegion(false);
        Operation op = world.operation(OperationType.DECOMMISSION, EraseMethod.SANITIZE);

        StepResult result = world.run(step, op, StepName.RETIRE);
        world.record(result, op);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(((StepResult.Done) result).detail()).contains("stays detached for good");
        assertThat(
                        world.jdbc.queryForObject(
                                "select retired from region_members where device_id = ?",
                                Boolean.class,
                                world.deviceId))
                .isTrue();
        assertThat(world.backend.calls).isEmpty();
    }
}
