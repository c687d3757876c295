package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.backend.EraseMethod;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationType;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import io.lethe.region.RegionNotReady;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ReattachRegionStepTest extends StepTest {

    @Autowired ReattachRegionStep step;

    /**
     * An erase that detached the region and changed the device's memory; {@code covered}: an
     * invalidation numbered after the change succeeded, else one numbered before it.
     */
    private Operation erasedAfterDetach(StepWorld world, boolean covered) {
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);
        RegionSteps.detach(context, world, op);
        if (!covered) {
            RegionSteps.invalidated(context, world);
        }
        RegionSteps.change(context, world);
        if (covered) {
            RegionSteps.invalidated(context, world);
        }
        return op;
    }

    @Test
    void aChangeCoveredByALaterInvalidationIsCommittedWithAHigherFencingToken() {
        StepWorld world = world().inRegion(true);
        Operation op = erasedAfterDetach(world, true);

        StepResult result = world.run(step, op, StepName.REATTACH_REGION);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(((StepResult.Done) result).detail()).endsWith("committed");
        assertThat(world.backend.calls).hasSize(2);
        assertThat(world.backend.calls.get(1)).startsWith("commitRegion(");
        assertThat(RegionSteps.fence(world.backend.calls.get(1)))
                .isGreaterThan(RegionSteps.fence(world.backend.calls.get(0)));
        assertThat(world.regionState()).isEqualTo("attached");
    }

    @Test
    void aChangeNoInvalidationCoversIsRefusedAndTheHostIsNotAsked() {
        StepWorld world = world().inRegion(true);
        Operation op = erasedAfterDetach(world, false);

        assertThatThrownBy(() -> world.run(step, op, StepName.REATTACH_REGION))
                .isInstanceOf(RegionNotReady.class)
                .hasMessageContaining("no invalidation numbered after that");
        assertThat(world.backend.calls).noneMatch(c -> c.startsWith("commitRegion"));
        assertThat(world.regionState()).isEqualTo("detached");
    }

    @Test
    void aCommitTheHostRefusedForALaterTokenLeavesTheRegionDetached() {
        StepWorld world = world().inRegion(true);
        Operation op = erasedAfterDetach(world, true);
        world.backend.commitAccepted = false;

        StepResult result = world.run(step, op, StepName.REATTACH_REGION);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(((StepResult.Done) result).detail()).contains("stays detached");
        assertThat(world.regionState()).isEqualTo("detached");
    }
}
