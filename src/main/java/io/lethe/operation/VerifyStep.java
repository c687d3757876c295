package io.lethe.operation;

import io.lethe.common.StepName;
import io.lethe.region.RegionService;
import io.lethe.region.RegionState;
import io.lethe.region.RegionView;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Reads the device back through the CPU's view of its region (where a missed invalidation would
 * show) and from its media: no pre-erase line and no canary may be readable.
 */
@Component
class VerifyStep implements StepHandler {

    private final RegionService regions;

    VerifyStep(RegionService regions) {
        this.regions = regions;
    }

    @Override
    public StepName step() {
        return StepName.VERIFY;
    }

    @Override
    public StepResult run(StepContext c) {
        String evidence = c.verifyEvidence();
        if (evidence == null || evidence.isEmpty()) {
            return new StepResult.Fail("no pre-erase evidence was taken; the erase cannot be verified");
        }
        boolean mediaRead = c.backend().mediaReadable();
        List<Integer> media = mediaRead
                ? VerifyEvidence.stillReadable(evidence, c.backend().readMedia(c.host(), c.device().id())) : List.of();
        if (!media.isEmpty()) {
            return new StepResult.Fail("pre-erase data still on the media (lines " + media + ")");
        }
        RegionView region = c.region() == null ? null : regions.get(c.region().id());
        if (region != null && region.state() == RegionState.ATTACHED) {
            List<Integer> cpu = VerifyEvidence.stillReadable(evidence,
                    c.backend().readThroughCpu(c.host(), region, c.device().id()));
            if (!cpu.isEmpty()) {
                return new StepResult.Fail("pre-erase data readable through the CPU's view (lines " + cpu
                        + "): stale cache lines");
            }
            return new StepResult.Done(mediaRead ? "no pre-erase byte readable from the media or through the CPU's view"
                    : "no pre-erase byte or canary readable through the CPU's view (this backend cannot read media directly)");
        }
        String detached = region == null ? "" : "; the region is detached, so the CPU cannot reach it";
        return new StepResult.Done(mediaRead ? "no pre-erase byte readable from the media" + detached
                : "the device reported the erase complete; this backend cannot read media directly" + detached);
    }
}
