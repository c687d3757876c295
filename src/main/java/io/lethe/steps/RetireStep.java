package io.lethe.steps;

import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import io.lethe.region.HostLedger;
import org.springframework.stereotype.Component;

/** The device leaves service: it ends decommissioned when the operation succeeds. */
@Component
class RetireStep implements StepHandler {

    private final HostLedger regions;

    RetireStep(HostLedger regions) {
        this.regions = regions;
    }

    @Override
    public StepName step() {
        return StepName.RETIRE;
    }

    @Override
    public StepResult run(StepContext c) {
        return new StepResult.Done(
                c.region() == null
                        ? "device retired"
                        : "device retired; its region "
                                + c.region().name()
                                + " stays detached for good",
                records -> regions.recordRetired(c.device().id()));
    }
}
