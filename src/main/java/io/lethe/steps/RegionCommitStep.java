package io.lethe.steps;

import io.lethe.engine.StepHandler;
import io.lethe.region.RegionCommits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The steps {@code reattach-region} and {@code attach-region}: each lets go of the region and
 * commits it through {@link RegionCommits#releaseAndCommitAll}, the one commit path, which commits
 * only when this operation is the last to hold it, every member is ready, and the invariant holds.
 * Otherwise the region stays detached (fail closed) and the step says why.
 */
abstract class RegionCommitStep implements StepHandler.OfUnits {

    private final RegionCommits regions;

    RegionCommitStep(RegionCommits regions) {
        this.regions = regions;
    }

    /** The operations sharing a region let go of it as one action. */
    @Override
    public Grouping grouping() {
        return Grouping.REGION;
    }

    /** These operations (one, or a wave's members) let go of their region at once. */
    @Override
    public Map<UUID, StepResult> runAll(List<StepContext> contexts) {
        StepContext first = contexts.get(0);
        List<UUID> operations = contexts.stream().map(StepContext::operationId).toList();
        var ownDevices = contexts.stream().map(c -> c.device().id()).collect(Collectors.toSet());
        var outcome =
                regions.releaseAndCommitAll(
                        first.region().id(),
                        operations,
                        ownDevices,
                        fence ->
                                first.backend()
                                        .commitUnlessSuperseded(
                                                first.host(), first.region(), fence));
        String detail =
                outcome.committed()
                        ? "region " + first.region().name() + " committed"
                        : "region "
                                + first.region().name()
                                + " stays detached: "
                                + outcome.reason();
        Map<UUID, StepResult> results = new LinkedHashMap<>();
        for (StepContext c : contexts) {
            // An operation whose purpose is the attach has failed when the region stays detached
            // and no other operation's end commits it: its caller waits for a decoding region.
            boolean purposeMissed =
                    !c.type().holdsDevice() && !outcome.committed() && !outcome.anotherCommitsIt();
            results.put(
                    c.operationId(),
                    purposeMissed ? new StepResult.Fail(detail) : new StepResult.Done(detail));
        }
        return results;
    }
}
