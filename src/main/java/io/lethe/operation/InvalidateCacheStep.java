package io.lethe.operation;

import io.lethe.common.StepName;
import io.lethe.region.RegionService;
import org.springframework.stereotype.Component;

/**
 * Invalidates every CPU cache line of the host (it may write dirty lines back while the region is
 * detached, where they reach nothing). Its start time is what the commit barrier compares against.
 */
@Component
class InvalidateCacheStep implements StepHandler {

    private final RegionService regions;
    private final OperationMetrics metrics;

    InvalidateCacheStep(RegionService regions, OperationMetrics metrics) {
        this.regions = regions;
        this.metrics = metrics;
    }

    @Override
    public StepName step() {
        return StepName.INVALIDATE_CACHE;
    }

    @Override
    public StepResult run(StepContext c) {
        var invalidation = c.backend().invalidateCaches(c.host());
        return new StepResult.Done(invalidation.evidence() + ", started " + invalidation.startedAt(), op -> {
            regions.recordInvalidation(c.host().id(), invalidation.startedAt());
            op.recordInvalidation(invalidation.startedAt());
            metrics.invalidation(true);
        });
    }
}
