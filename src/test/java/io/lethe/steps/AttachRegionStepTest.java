package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.engine.Operation;
import io.lethe.engine.OperationType;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AttachRegionStepTest extends StepTest {

    @Autowired AttachRegionStep step;

    @Test
    void aDeclaredRegionWhoseMembersNeverChangedIsCommitted() {
        StepWorld world = world().inRegion(false);
        Operation attach = world.operation(OperationType.ATTACH_REGION_AFTER_DECLARATION, null);

        StepResult result = world.run(step, attach, StepName.ATTACH_REGION);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(world.backend.calls).singleElement().asString().startsWith("commitRegion(");
        assertThat(world.regionState()).isEqualTo("attached");
    }

    @Test
    void anAttachOverALockedMemberFailsItsPurposeWithoutAskingTheHost() {
        StepWorld world = world().inRegion(false);
        world.jdbc.update(
                "update devices set security_state = 'locked' where id = ?", world.deviceId);
        Operation attach = world.operation(OperationType.ATTACH_REGION_AFTER_DECLARATION, null);

        StepResult result = world.run(step, attach, StepName.ATTACH_REGION);

        assertThat(result)
                .as("nothing else will commit it: its caller waits for a decoding region")
                .isInstanceOf(StepResult.Fail.class);
        assertThat(((StepResult.Fail) result).reason()).contains("is locked");
        assertThat(world.backend.calls).isEmpty();
        assertThat(world.regionState()).isEqualTo("detached");
    }

    @Test
    void anAttachWhoseCommitALaterDetachSupersededLeavesTheCommitToThatDetachsOperation() {
        StepWorld world = world().inRegion(false);
        world.backend.commitAccepted = false;
        Operation attach = world.operation(OperationType.ATTACH_REGION_AFTER_DECLARATION, null);

        StepResult result = world.run(step, attach, StepName.ATTACH_REGION);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(((StepResult.Done) result).detail()).contains("superseded");
        assertThat(world.regionState()).isEqualTo("detached");
    }
}
