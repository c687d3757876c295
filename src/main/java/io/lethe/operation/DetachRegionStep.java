package io.lethe.operation;

import io.lethe.common.StepName;
import io.lethe.region.RegionService;
import org.springframework.stereotype.Component;

/** Takes the region away from the CPU before anything changes the memory behind it. */
@Component
class DetachRegionStep implements StepHandler {

    private final RegionService regions;

    DetachRegionStep(RegionService regions) {
        this.regions = regions;
    }

    @Override
    public StepName step() {
        return StepName.DETACH_REGION;
    }

    @Override
    public StepResult run(StepContext c) {
        regions.detachFor(c.region().id(), c.operationId(), () -> c.backend().detachRegion(c.host(), c.region()));
        return new StepResult.Done("region " + c.region().name() + " detached for all " + c.region().interleaveWays()
                + " member(s)");
    }
}
