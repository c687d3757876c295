package io.lethe.steps;

import io.lethe.engine.StepName;
import io.lethe.region.RegionCommits;
import org.springframework.stereotype.Component;

/**
 * {@code reattach-region}: after an erase, the region is committed again if the barrier allows it.
 */
@Component
class ReattachRegionStep extends RegionCommitStep {

    ReattachRegionStep(RegionCommits regions) {
        super(regions);
    }

    @Override
    public StepName step() {
        return StepName.REATTACH_REGION;
    }
}
