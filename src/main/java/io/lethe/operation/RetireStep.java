package io.lethe.operation;

import io.lethe.common.StepName;
import org.springframework.stereotype.Component;

/** The device leaves service: it ends decommissioned when the operation succeeds. */
@Component
class RetireStep implements StepHandler {

    @Override
    public StepName step() {
        return StepName.RETIRE;
    }

    @Override
    public StepResult run(StepContext c) {
        return new StepResult.Done("device retired; its region stays detached");
    }
}
