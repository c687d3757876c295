package io.lethe.operation;

import io.lethe.common.StepName;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceStatus;
import io.lethe.device.DeviceView;
import io.lethe.device.SecurityState;
import io.lethe.region.RegionService;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code reattach-region} and {@code attach-region}: lets go of the region and commits it when this
 * operation is the last to hold it, every member is ready, and the invariant holds. Otherwise the
 * region stays detached (fail closed) and the step says why.
 */
@Component
class CommitRegionStep {

    private final RegionService regions;
    private final DeviceService devices;

    CommitRegionStep(RegionService regions, DeviceService devices) {
        this.regions = regions;
        this.devices = devices;
    }

    StepHandler handler(StepName name) {
        return new StepHandler() {
            @Override
            public StepName step() {
                return name;
            }

            @Override
            public StepResult run(StepContext c) {
                return commit(c);
            }
        };
    }

    private StepHandler.StepResult commit(StepHandler.StepContext c) {
        Optional<DeviceView> unready = devices.findAll(c.region().deviceIds()).stream()
                .filter(d -> !d.id().equals(c.device().id()))
                .filter(d -> d.securityState() == SecurityState.LOCKED || d.status() == DeviceStatus.QUARANTINED
                        || d.status() == DeviceStatus.DECOMMISSIONED)
                .findFirst();
        if (unready.isPresent()) {
            regions.releaseDetached(c.region().id(), c.operationId());
            return new StepHandler.StepResult.Done("region " + c.region().name() + " stays detached: member "
                    + unready.get().id() + " is " + (unready.get().securityState() == SecurityState.LOCKED ? "locked"
                    : unready.get().status().wire()));
        }
        boolean committed = regions.releaseAndCommit(c.region().id(), c.operationId(),
                () -> c.backend().commitRegion(c.host(), c.region()));
        return new StepHandler.StepResult.Done(committed ? "region " + c.region().name() + " committed"
                : "region " + c.region().name() + " stays detached: other operations hold it; the last one commits it");
    }
}
