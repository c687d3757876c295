package io.lethe.steps;

import io.lethe.backend.BackendException;
import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import io.lethe.region.RegionCommits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Takes the region away from the CPU before anything changes the memory behind it. */
@Component
class DetachRegionStep implements StepHandler.OfUnits {

    private static final Logger log = LoggerFactory.getLogger(DetachRegionStep.class);

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
                fence -> reset(first, fence));
        Map<UUID, StepResult> results = new LinkedHashMap<>();
        contexts.forEach(c -> results.put(c.operationId(), done(c)));
        return results;
    }

    /**
     * A host that refuses the token has seen a higher one for the region: another wave's reset of
     * it (on this replica or another) took its token after this one and reached the host first.
     * That higher token cannot be a commit's: this wave's holds were recorded in the transaction
     * that took this token, and no commit is decided while a hold stands ({@link
     * RegionCommits#releaseAndCommitAll}). So the region is reset, as this step needs, and stays so
     * until the holds are let go.
     */
    private static void reset(StepContext first, long fence) {
        try {
            first.backend().detachRegion(first.host(), first.region(), fence);
        } catch (BackendException.Fenced later) {
            log.info(
                    "Region {}: a later reset reached the host before this one ({})",
                    first.region().id(),
                    later.getMessage());
        }
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
