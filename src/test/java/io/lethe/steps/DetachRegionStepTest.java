package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.EraseMethod;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationType;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class DetachRegionStepTest extends StepTest {

    @Autowired DetachRegionStep step;

    @Test
    void theRegionIsResetWithAFencingTokenAndRecordedDetachedAndHeld() {
        StepWorld world = world().inRegion(true);
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);

        StepResult result = world.run(step, op, StepName.DETACH_REGION);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(world.backend.calls).hasSize(1);
        assertThat(world.backend.calls.get(0))
                .startsWith("detachRegion(" + world.region().name() + ", fence ");
        assertThat(RegionSteps.fence(world.backend.calls.get(0))).isPositive();
        assertThat(world.regionState()).isEqualTo("detached");
        assertThat(holds(world, op)).as("the operation holds the region until it lets go").isOne();
    }

    @Test
    void aResetThatALaterResetOfTheRegionOvertookStillLeavesItDetachedAndHeld() {
        StepWorld world = world().inRegion(true);
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);
        world.backend.detachAccepted = false;

        StepResult result = world.run(step, op, StepName.DETACH_REGION);

        assertThat(result)
                .as("the host refused the lower token because a later reset came first")
                .isInstanceOf(StepResult.Done.class);
        assertThat(world.regionState()).isEqualTo("detached");
        assertThat(holds(world, op))
                .as("its hold keeps every commit out while the erase runs")
                .isOne();
    }

    private static long holds(StepWorld world, Operation op) {
        return world.jdbc.queryForObject(
                "select count(*) from region_holds where region_id = ? and operation_id = ?",
                Long.class,
                world.regionId,
                op.id());
    }
}
