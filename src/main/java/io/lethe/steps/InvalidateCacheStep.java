package io.lethe.steps;

import io.lethe.engine.Operation;
import io.lethe.engine.OperationMetrics;
import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import io.lethe.engine.WorkflowProperties;
import io.lethe.region.RegionService;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Invalidates every CPU cache line of the host (it may write dirty lines back while the region is
 * detached, where they reach nothing), coalesced: one invalidation that starts after the host's
 * erases ended serves all their operations. Its host order number, taken when it is claimed and
 * before it starts, is what the commit barrier compares; an operation whose change was recorded
 * after that number was taken waits for the next one.
 */
@Component
class InvalidateCacheStep implements StepHandler {

    private final RegionService regions;
    private final OperationMetrics metrics;
    private final HostInvalidations invalidations;
    private final WorkflowProperties properties;

    InvalidateCacheStep(
            RegionService regions,
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

    /** One invalidation serves every operation of the host that reached it. */
    @Override
    public Grouping grouping() {
        return Grouping.ONE_PER_HOST;
    }

    /**
     * Waits for the host's other erases: the invalidation that starts after the last of them serves
     * them all. Whoever runs it wakes a lone operation; the fallback is a later look.
     */
    @Override
    public Hold holdAtStart(Operation operation, boolean wave) {
        if (!invalidations.othersStillChanging(operation)) {
            return null;
        }
        return new Hold(
                wave ? properties.erasePollInterval() : properties.coalescingWindow(),
                "waiting for the other erases of the host to end");
    }

    @Override
    public void attemptFailed(Operation operation) {
        metrics.invalidation(false);
    }

    @Override
    public StepResult run(StepContext c) {
        var verdict =
                invalidations.decide(
                        c.host().id(), c.operationId(), c.mediaChangeSeq(), c.stepStartedAt());
        switch (verdict.decision()) {
            case COVERED -> {
                return new StepResult.Done(
                        "served by the host's invalidation #"
                                + verdict.seq()
                                + " started "
                                + verdict.lastStartedAt(),
                        op -> op.recordInvalidation(verdict.seq(), verdict.lastStartedAt()));
            }
            case WAIT -> {
                return new StepResult.Poll(
                        properties.erasePollInterval(),
                        null,
                        "waiting for the host's other erases or its running invalidation");
            }
            default -> {
                HostBackendInvalidation invalidation = invalidate(c);
                long seq = verdict.seq();
                return new StepResult.Done(
                        invalidation.evidence()
                                + (invalidation.atCommit() ? ", checked " : ", started ")
                                + invalidation.startedAt(),
                        op -> {
                            regions.recordInvalidation(
                                    c.host().id(), seq, invalidation.startedAt());
                            op.recordInvalidation(seq, invalidation.startedAt());
                            metrics.invalidation(true);
                            invalidations.succeeded(
                                    c.host().id(),
                                    c.operationId(),
                                    seq,
                                    invalidation.startedAt(),
                                    invalidation.evidence());
                        });
            }
        }
    }

    private HostBackendInvalidation invalidate(StepContext c) {
        try {
            var done = c.backend().invalidateCaches(c.host());
            return new HostBackendInvalidation(done.startedAt(), done.evidence(), done.atCommit());
        } catch (RuntimeException e) {
            invalidations.release(c.host().id(), c.operationId());
            throw e;
        }
    }

    private record HostBackendInvalidation(Instant startedAt, String evidence, boolean atCommit) {}
}
