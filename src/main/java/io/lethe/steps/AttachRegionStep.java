package io.lethe.steps;

import io.lethe.engine.StepName;
import io.lethe.region.RegionCommits;
import org.springframework.stereotype.Component;

/** {@code attach-region}: after an unlock, the region is committed if the barrier allows it. */
@Component
class AttachRegionStep extends RegionCommitStep {

    AttachRegionStep(RegionCommits regions) {
        super(regions);
    }

    @Override
    public StepName step() {
        return StepName.ATTACH_REGION;
    }
}
