package io.lethe.steps;

import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** {@code attach-region}: after an unlock, the region is committed if the barrier allows it. */
@Component
class AttachRegionStep implements StepHandler {

    private final RegionCommit commits;

    AttachRegionStep(RegionCommit commits) {
        this.commits = commits;
    }

    @Override
    public StepName step() {
        return StepName.ATTACH_REGION;
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
