package io.lethe.steps;

import io.lethe.engine.Operation;
import io.lethe.engine.OperationMetrics;
import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import io.lethe.engine.WorkflowProperties;
import io.lethe.region.HostLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Invalidates every CPU cache line of the host (it may write dirty lines back while the region is
 * detached, where they reach nothing), coalesced: one invalidation that starts after the host's
 * erases ended serves all their operations. Its host order number, taken when it is claimed and
 * before it starts, is what the commit barrier compares; an operation whose change was recorded
 * after that number was taken waits for the next one.
 */
@Component
class InvalidateCacheStep implements StepHandler.OfUnits {

    private final HostLedger regions;
    private final OperationMetrics metrics;
    private final HostInvalidations invalidations;
    private final WorkflowProperties properties;

    InvalidateCacheStep(
            HostLedger regions,
            OperationMetrics metrics,
            HostInvalidations invalidations,
            WorkflowProperties properties) {
        this.regions = regions;
        this.metrics = metrics;
        this.invalidations = invalidations;
        this.properties = properties;
    }

    @Override
    public StepName step() {
        return StepName.INVALIDATE_CACHE;
    }

    /**
     * The host's operations at this step in one round are one unit: one decision, and at most one
     * invalidation, serves them all.
     */
    @Override
    public Grouping grouping() {
        return Grouping.HOST;
    }

    /**
     * Waits for the host's other erases: the invalidation that starts after the last of them serves
     * them all. Whoever runs it wakes a lone operation; the fallback is a later look.
     */
    @Override
    public Hold holdAtStart(Operation operation, boolean wave) {
        if (!operation.needsInvalidation() || !invalidations.othersStillChanging(operation)) {
            return null;
        }
        return new Hold(
                wave ? properties.erasePollInterval() : properties.coalescingWindow(),
                "waiting for the other erases of the host to end");
    }

    /**
     * Decides once for the unit, as for its latest memory change (covered for that one, every
     * member is covered; an invalidation claimed now is numbered after all of them), with the first
     * member as the claimant. Operations of the host waiting in other executions are served by the
     * same invalidation through {@link HostInvalidations#succeeded}.
     */
    @Override
    public Map<UUID, StepResult> runAll(List<StepContext> all) {
        Map<UUID, StepResult> results = new LinkedHashMap<>();
        List<StepContext> unit = new ArrayList<>();
        for (StepContext c : all) {
            if (c.type().needsInvalidation(c.mediaChangeSeq())) {
                unit.add(c);
            } else {
                // No line of another region can be cached at its addresses (the host's ledger of
                // decoded ranges holds none under them): an invalidation would cover nothing.
                results.put(
                        c.operationId(),
                        new StepResult.Done(
                                "nothing to invalidate: no other region decoded at its addresses"
                                        + " since the host's last invalidation"));
            }
        }
        if (unit.isEmpty()) {
            return results;
        }
        StepContext leader = unit.get(0);
        Long latestChange =
                unit.stream()
                        .map(StepContext::mediaChangeSeq)
                        .filter(Objects::nonNull)
                        .max(Comparator.naturalOrder())
                        .orElse(null);
        Instant waitingSince =
                unit.stream()
                        .map(StepContext::stepStartedAt)
                        .min(Comparator.naturalOrder())
                        .orElseThrow();
        var verdict =
                invalidations.decide(
                        leader.host().id(), leader.operationId(), latestChange, waitingSince);
        switch (verdict.decision()) {
            case COVERED -> {
                String detail =
                        "served by the host's invalidation #"
                                + verdict.seq()
                                + " started "
                                + verdict.lastStartedAt();
                unit.forEach(
                        c ->
                                results.put(
                                        c.operationId(),
                                        new StepResult.Done(
                                                detail,
                                                records ->
                                                        records.invalidation(
                                                                verdict.seq(),
                                                                verdict.lastStartedAt()))));
            }
            case WAIT ->
                    unit.forEach(
                            c ->
                                    results.put(
                                            c.operationId(),
                                            new StepResult.Poll(
                                                    properties.erasePollInterval(),
                                                    null,
                                                    "waiting for the host's other erases or its running invalidation")));
            default -> {
                Invalidation invalidation;
                try {
                    invalidation = invalidate(leader);
                } catch (RuntimeException e) {
                    invalidations.release(leader.host().id(), leader.operationId());
                    metrics.invalidation(false);
                    unit.forEach(c -> results.put(c.operationId(), new StepResult.Raised(e)));
                    return results;
                }
                long seq = verdict.seq();
                String detail =
                        invalidation.evidence()
                                + (invalidation.atCommit() ? ", checked " : ", started ")
                                + invalidation.startedAt();
                results.put(
                        leader.operationId(),
                        new StepResult.Done(
                                detail,
                                records -> {
                                    regions.recordInvalidation(
                                            leader.host().id(), seq, invalidation.startedAt());
                                    records.invalidation(seq, invalidation.startedAt());
                                    metrics.invalidation(true);
                                    invalidations.succeeded(
                                            leader.host().id(),
                                            leader.operationId(),
                                            seq,
                                            invalidation.startedAt(),
                                            invalidation.evidence());
                                }));
                unit.stream()
                        .skip(1)
                        .forEach(
                                c ->
                                        results.put(
                                                c.operationId(),
                                                new StepResult.Done(
                                                        detail,
                                                        records ->
                                                                records.invalidation(
                                                                        seq,
                                                                        invalidation
                                                                                .startedAt()))));
            }
        }
        return results;
    }

    private Invalidation invalidate(StepContext c) {
        var done = c.backend().invalidateCaches(c.host());
        return new Invalidation(done.startedAt(), done.evidence(), done.atCommit());
    }

    private record Invalidation(Instant startedAt, String evidence, boolean atCommit) {}
}
