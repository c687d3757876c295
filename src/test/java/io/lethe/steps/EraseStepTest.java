package io.lethe.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.BackendException;
import io.lethe.backend.EraseMethod;
import io.lethe.backend.HostBackend.DeviceReading;
import io.lethe.backend.HostBackend.EraseStatus;
import io.lethe.device.SecurityState;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationFixtures;
import io.lethe.engine.OperationType;
import io.lethe.engine.StepHandler.StepResult;
import io.lethe.engine.StepName;
import io.lethe.engine.WorkflowProperties;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class EraseStepTest extends StepTest {

    @Autowired EraseStep step;
    @Autowired WorkflowProperties properties;

    @Test
    void anEraseNotYetStartedIsStartedWithoutAPassphraseForSanitizeAndPolledLater() {
        StepWorld world = world();
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);

        StepResult result = world.run(step, op, StepName.ERASE);

        assertThat(result).isInstanceOf(StepResult.Poll.class);
        assertThat(world.backend.calls)
                .containsExactly(
                        "eraseStatus(" + world.serial + ")",
                        "startErase(" + world.serial + ", sanitize, no passphrase)");
    }

    @Test
    void aCompletedEraseRecordsItsChangeWithTheHostsNextOrderNumberOnTheRegionMember() {
        StepWorld world = world().inRegion(false);
        world.backend.reading = new DeviceReading(SecurityState.DISABLED, null);
        Instant finished = Instant.parse("2026-12-06T12:00:00Z");
        world.backend.eraseStatuses.add(
                new EraseStatus(EraseStatus.State.COMPLETED, 100, finished, "sanitize completed"));
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);

        StepResult result = world.run(step, op, StepName.ERASE);
        world.record(result, op);

        assertThat(result).isInstanceOf(StepResult.Done.class);
        Long seq = OperationFixtures.mediaChangeSeq(op);
        assertThat(seq).isNotNull().isPositive();
        assertThat(
                        world.jdbc.queryForObject(
                                "select media_change_seq from region_members where device_id = ?",
                                Long.class,
                                world.deviceId))
                .as("the region's member carries the same number: its barrier compares it")
                .isEqualTo(seq);
        assertThat(world.backend.calls).noneMatch(c -> c.startsWith("startErase"));
    }

    @Test
    void aRunningEraseOutlivingItsTimeoutFailsWithItsOutcomeUnknown() {
        StepWorld world = world();
        world.backend.eraseStatuses.add(
                new EraseStatus(EraseStatus.State.RUNNING, 40, null, "sanitizing"));
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);
        Instant startedLongAgo = Instant.now().minus(properties.eraseTimeout()).minusSeconds(60);

        StepResult result =
                step.runAll(List.of(world.context(op, StepName.ERASE, startedLongAgo)))
                        .get(op.id());

        assertThat(result).isInstanceOf(StepResult.Fail.class);
        assertThat(((StepResult.Fail) result).reason())
                .contains("did not complete within")
                .contains("40%")
                .contains("outcome is unknown");
        assertThat(((StepResult.Fail) result).memoryUntouched()).isFalse();
    }

    @Test
    void aKernelWithoutTheKeyLeavesTheDeviceUntouchedAndSaysSo() {
        StepWorld world = world().inRegion(false);
        world.backend.eraseFailure = new BackendException.KeyUnavailable("no key for the master");
        Operation op = world.operation(OperationType.SECURE_ERASE, EraseMethod.SANITIZE);
        step.started(op);

        StepResult result = world.run(step, op, StepName.ERASE);
        world.record(result, op);

        assertThat(result).isInstanceOf(StepResult.Fail.class);
        assertThat(((StepResult.Fail) result).memoryUntouched()).isTrue();
        assertThat(
                        world.jdbc.queryForObject(
                                "select changing_operation from region_members where device_id = ?",
                                String.class,
                                world.deviceId))
                .as("the member's media state is known again")
                .isNull();
    }
}
