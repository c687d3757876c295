package io.lethe.steps;

import io.lethe.backend.BackendException;
import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import io.lethe.region.RegionService;
import io.lethe.region.RegionState;
import io.lethe.region.RegionView;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Reads the device's share back through the CPU's view of its region (where a missed invalidation
 * would show) and, where the backend can, from its media: the canary written before the erase must
 * be gone from both.
 */
@Component
class VerifyStep implements StepHandler {

    static final String NO_CPU_VIEW =
            "no read-back was possible: nothing maps the region's memory for the CPU (the host"
                    + " uses it as System RAM); the device reported the erase complete";

    private final RegionService regions;

    VerifyStep(RegionService regions) {
        this.regions = regions;
    }

    /** A wave's members on one host reach it in one exchange. */
    @Override
    public Grouping grouping() {
        return Grouping.HOST;
    }

    @Override
    public StepName step() {
        return StepName.VERIFY;
    }

    @Override
    public StepResult run(StepContext c) {
        String evidence = c.verifyEvidence();
        if (evidence == null || evidence.isEmpty()) {
            return new StepResult.Fail(
                    "no pre-erase evidence was taken; the erase cannot be verified");
        }
        if (VerifyEvidence.NO_CPU_VIEW.equals(evidence)) {
            return new StepResult.Done(NO_CPU_VIEW);
        }
        boolean canary = !VerifyEvidence.NOTHING.equals(evidence);
        boolean mediaRead = c.backend().mediaReadable();
        List<Integer> media =
                canary && mediaRead
                        ? VerifyEvidence.stillReadable(
                                evidence, c.backend().readMedia(c.host(), c.device()))
                        : List.of();
        if (!media.isEmpty()) {
            return new StepResult.Fail(
                    "the canary written before the erase is still on the media (lines "
                            + media
                            + ")");
        }
        RegionView region = c.region() == null ? null : regions.get(c.region().id());
        if (canary && region != null && region.state() == RegionState.ATTACHED) {
            byte[] cpuView;
            try {
                cpuView = c.backend().readThroughCpu(c.host(), region, c.device());
            } catch (BackendException.NoCpuView none) {
                // The host put the region in System RAM meanwhile: there is nothing left to read
                // the canary through.
                return new StepResult.Done(
                        NO_CPU_VIEW + "; a canary had been written before the erase");
            }
            List<Integer> cpu = VerifyEvidence.stillReadable(evidence, cpuView);
            if (!cpu.isEmpty()) {
                return new StepResult.Fail(
                        "the canary written before the erase is readable through the CPU's view (lines "
                                + cpu
                                + "): stale cache lines");
            }
            return new StepResult.Done(
                    mediaRead
                            ? "the canary written before the erase is gone from the media and from the"
                                    + " CPU's view"
                            : "the canary written before the erase is gone from the CPU's view (this backend cannot"
                                    + " read media directly)");
        }
        if (!canary) {
            return new StepResult.Done(
                    "the device reported the erase complete; no canary could be written (the region did"
                            + " not decode at precheck)"
                            + (region == null
                                    ? ""
                                    : "; the region's commit waits behind the barrier"));
        }
        return new StepResult.Done(
                (mediaRead
                                ? "the canary written before the erase is gone from the media"
                                : "the device reported the erase complete; this backend cannot read media directly")
                        + "; the region is detached, so the CPU cannot reach it");
    }
}
