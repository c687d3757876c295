package io.lethe.steps;

import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * {@code reattach-region}: after an erase, the region is committed again if the barrier allows it.
 */
@Component
class ReattachRegionStep implements StepHandler {

    private final RegionCommit commits;

    ReattachRegionStep(RegionCommit commits) {
        this.commits = commits;
    }

    @Override
    public StepName step() {
        return StepName.REATTACH_REGION;
    }

    @Override
    public Grouping grouping() {
        return Grouping.REGION;
    }

    @Override
    public StepResult run(StepContext c) {
        return runAll(List.of(c)).get(c.operationId());
    }

    @Override
    public Map<UUID, StepResult> runAll(List<StepContext> contexts) {
        return commits.commitTogether(contexts);
    }
}
