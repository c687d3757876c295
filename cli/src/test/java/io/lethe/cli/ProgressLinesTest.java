package io.lethe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.client.model.Operation;
import io.lethe.client.model.Step;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Progress lines have one form whatever the state: state, the step running, next or failed, and
 * succeeded steps of those that apply.
 */
class ProgressLinesTest {

    static final UUID ID = UUID.fromString("01a24a36-fdd2-7273-8cfd-95da929dff7a");

    private static Step step(String name, Step.StateEnum state, String detail) {
        return new Step().name(Step.NameEnum.fromValue(name)).state(state).detail(detail);
    }

    @Test
    void aQueuedEraseOfADeviceInNoRegionCountsOnlyTheStepsThatApply() {
        Operation op =
                new Operation()
                        .id(ID)
                        .state(Operation.StateEnum.QUEUED)
                        .steps(
                                List.of(
                                        step("precheck", Step.StateEnum.PENDING, null),
                                        step(
                                                "detach-region",
                                                Step.StateEnum.SKIPPED,
                                                "the device is in no region"),
                                        step("erase", Step.StateEnum.PENDING, null),
                                        step("invalidate-cache", Step.StateEnum.PENDING, null),
                                        step(
                                                "reattach-region",
                                                Step.StateEnum.SKIPPED,
                                                "the device is in no region"),
                                        step("verify", Step.StateEnum.PENDING, null)));
        assertThat(Progress.line(op))
                .isEqualTo("operation " + ID + " queued, precheck, 0 of 4 steps done");
    }

    @Test
    void aFailedUnlockNamesTheFailedStepAndCountsTheStepsItLeftUnrun() {
        Operation op =
                new Operation()
                        .id(ID)
                        .state(Operation.StateEnum.FAILED)
                        .steps(
                                List.of(
                                        step(
                                                "precheck",
                                                Step.StateEnum.SUCCEEDED,
                                                "device is locked"),
                                        step("unlock", Step.StateEnum.FAILED, "wrong passphrase"),
                                        step(
                                                "invalidate-cache",
                                                Step.StateEnum.SKIPPED,
                                                "not run: unlock failed"),
                                        step(
                                                "attach-region",
                                                Step.StateEnum.SKIPPED,
                                                "not run: unlock failed")));
        assertThat(Progress.line(op))
                .isEqualTo("operation " + ID + " failed, unlock, 1 of 4 steps done");
    }

    @Test
    void aSucceededOperationNamesNoStep() {
        Operation op =
                new Operation()
                        .id(ID)
                        .state(Operation.StateEnum.SUCCEEDED)
                        .steps(
                                List.of(
                                        step(
                                                "invalidate-cache",
                                                Step.StateEnum.SUCCEEDED,
                                                "nothing to invalidate"),
                                        step(
                                                "attach-region",
                                                Step.StateEnum.SUCCEEDED,
                                                "region r committed")));
        assertThat(Progress.line(op))
                .isEqualTo("operation " + ID + " succeeded, 2 of 2 steps done");
    }
}
