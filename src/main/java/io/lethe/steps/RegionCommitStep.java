package io.lethe.steps;

import io.lethe.engine.StepHandler;
import io.lethe.region.RegionService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What {@code reattach-region} and {@code attach-region} do: lets go of the region and commits it
 * through {@link RegionService#releaseAndCommitAll}, the one commit path, which commits only when
 * this operation is the last to hold it, every member is ready, and the invariant holds. Otherwise
 * the region stays detached (fail closed) and the step says why.
 */
@Component
class RegionCommit {

    private final RegionService regions;

    RegionCommit(RegionService regions) {
        this.regions = regions;
    }

    /** These operations (one, or a wave's members) let go of their region at once. */
    Map<UUID, StepHandler.StepResult> commitTogether(List<StepHandler.StepContext> contexts) {
        StepHandler.StepContext first = contexts.get(0);
        List<UUID> operations =
                contexts.stream().map(StepHandler.StepContext::operationId).toList();
        var ownDevices = contexts.stream().map(c -> c.device().id()).collect(Collectors.toSet());
        var outcome =
                regions.releaseAndCommitAll(
                        first.region().id(),
                        operations,
                        ownDevices,
                        first.backend().invalidatesAtCommit(),
                        () -> first.backend().commitRegion(first.host(), first.region()));
        String detail =
                outcome.committed()
                        ? "region " + first.region().name() + " committed"
                        : "region "
                                + first.region().name()
                                + " stays detached: "
                                + outcome.reason();
        Map<UUID, StepHandler.StepResult> results = new LinkedHashMap<>();
        operations.forEach(op -> results.put(op, new StepHandler.StepResult.Done(detail)));
        return results;
    }
}
