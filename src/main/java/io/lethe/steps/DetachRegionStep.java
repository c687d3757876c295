package io.lethe.steps;

import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import io.lethe.region.RegionCommits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Takes the region away from the CPU before anything changes the memory behind it. */
@Component
class DetachRegionStep implements StepHandler.OfUnits {

    private final RegionCommits regions;

    DetachRegionStep(RegionCommits regions) {
        this.regions = regions;
    }

    @Override
    public StepName step() {
        return StepName.DETACH_REGION;
    }

    @Override
    public Grouping grouping() {
        return Grouping.REGION;
    }

    /**
     * One hold per operation and one reset of the decoders, under one lock of the region, with the
     * fencing token its transaction took.
     */
    @Override
    public Map<UUID, StepResult> runAll(List<StepContext> contexts) {
        StepContext first = contexts.get(0);
        regions.detachForAll(
                first.region().id(),
                contexts.stream().map(StepContext::operationId).toList(),
                fence -> first.backend().detachRegion(first.host(), first.region(), fence));
        Map<UUID, StepResult> results = new LinkedHashMap<>();
        contexts.forEach(c -> results.put(c.operationId(), done(c)));
        return results;
    }

    private static StepResult done(StepContext c) {
        return new StepResult.Done(
                "region "
                        + c.region().name()
                        + " detached for all "
                        + c.region().interleaveWays()
                        + " member(s)");
    }
}
