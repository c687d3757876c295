package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.backend.EraseMethod;
import io.lethe.common.Ids;
import io.lethe.device.DeviceStatus;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OperationStateMachineTest {

    final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    Operation secureErase(UUID region) {
        return new Operation(
                Ids.newId(),
                OperationType.SECURE_ERASE,
                new OperationTarget(Ids.newId(), Ids.newId(), region, null, DeviceStatus.AVAILABLE),
                OperationRequest.because(null)
                        .erasing(EraseMethod.SANITIZE)
                        .sealedPassphrase("v1:sealed"),
                "t",
                now,
                now.plusSeconds(3600));
    }

    @Test
    void stepsRunInOrderAndTheLastSuccessEndsTheOperation() {
        Operation op = secureErase(Ids.newId());
        for (StepName expected : OperationType.SECURE_ERASE.steps()) {
            assertThat(op.startStep(now).name()).isEqualTo(expected);
            op.completeStep(now, "ok");
        }
        assertThat(op.state()).isEqualTo(OperationState.SUCCEEDED);
        assertThat(op.requested().passphraseSealed())
                .as("secrets go when the operation ends")
                .isNull();
    }

    @Test
    void regionStepsAreSkippedWithoutARegion() {
        Operation op = secureErase(null);
        assertThat(op.steps())
                .filteredOn(s -> s.state() == StepState.SKIPPED)
                .extracting(Step::name)
                .containsExactly(StepName.DETACH_REGION, StepName.REATTACH_REGION);
    }

    @Test
    void aStepCannotBeCompletedBeforeItStartedNorStartedTwice() {
        Operation op = secureErase(null);
        assertThatThrownBy(() -> op.completeStep(now, "x")).isInstanceOf(IllegalTransition.class);
        op.startStep(now);
        assertThatThrownBy(() -> op.startStep(now)).isInstanceOf(IllegalTransition.class);
    }

    @Test
    void aFailedStepFailsTheOperationAndSkipsTheRest() {
        Operation op = secureErase(Ids.newId());
        op.startStep(now);
        op.completeStep(now, "ok");
        op.startStep(now);
        op.failStep(now, "boom");
        assertThat(op.state()).isEqualTo(OperationState.FAILED);
        assertThat(op.view().error()).isEqualTo("detach-region: boom");
        assertThat(op.steps().subList(2, 6)).allMatch(s -> s.state() == StepState.SKIPPED);
        assertThatThrownBy(() -> op.startStep(now)).isInstanceOf(IllegalTransition.class);
    }

    @Test
    void aRetriedStepCountsItsAttempts() {
        Operation op = secureErase(null);
        op.startStep(now);
        op.retryStep(now, "transient");
        assertThat(op.startStep(now).attempts()).isEqualTo(2);
    }

    @Test
    void cancelIsRefusedOnceTheEraseStarted() {
        Operation op = secureErase(null);
        assertThat(op.cancellable()).isTrue();
        op.startStep(now);
        op.completeStep(now, "precheck ok");
        op.startStep(now);
        assertThat(op.cancellable()).isFalse();
        assertThat(op.pastPointOfNoReturn()).isTrue();
        assertThatThrownBy(() -> op.requestCancel(now))
                .isInstanceOf(IllegalTransition.class)
                .hasMessageContaining("erase");
    }

    @Test
    void ticksAdvanceSoStaleExecutionsAreRecognised() {
        Operation op = secureErase(null);
        long first = op.nextTick();
        assertThat(op.nextTick()).isEqualTo(first + 1);
        assertThat(op.tick()).isEqualTo(first + 1);
    }
}
