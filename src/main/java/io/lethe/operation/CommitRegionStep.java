package io.lethe.operation;

import io.lethe.common.StepName;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceStatus;
import io.lethe.device.DeviceView;
import io.lethe.device.SecurityState;
import io.lethe.region.RegionService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
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
                return commitTogether(List.of(c)).get(c.operationId());
            }

            @Override
            public boolean runsTogether() {
                return true;
            }

            @Override
            public Map<UUID, StepResult> runTogether(List<StepContext> contexts) {
                return commitTogether(contexts);
            }
        };
    }

    /**
     * These operations (one, or a wave's members) let go of their region at once; it is committed
     * when no one else holds it, no other member is unready, and the invariant holds.
     */
    private Map<UUID, StepHandler.StepResult> commitTogether(List<StepHandler.StepContext> contexts) {
        StepHandler.StepContext first = contexts.get(0);
        Set<UUID> ours = contexts.stream().map(c -> c.device().id()).collect(Collectors.toSet());
        List<UUID> operations = contexts.stream().map(StepHandler.StepContext::operationId).toList();
        Optional<DeviceView> unready = firstUnready(first, ours);
        String detail;
        if (unready.isPresent()) {
            operations.forEach(op -> regions.releaseDetached(first.region().id(), op));
            detail = staysDetached(first, unready.get());
        } else {
            boolean committed = regions.releaseAndCommitAll(first.region().id(), operations,
                    () -> first.backend().commitRegion(first.host(), first.region()));
            detail = committed ? "region " + first.region().name() + " committed"
                    : "region " + first.region().name() + " stays detached: other operations hold it; the last one commits it";
        }
        Map<UUID, StepHandler.StepResult> results = new LinkedHashMap<>();
        operations.forEach(op -> results.put(op, new StepHandler.StepResult.Done(detail)));
        return results;
    }

    /** A member other than these devices that keeps the region from decoding. */
    private Optional<DeviceView> firstUnready(StepHandler.StepContext c, Set<UUID> excluded) {
        return devices.findAll(c.region().deviceIds()).stream()
                .filter(d -> !excluded.contains(d.id()))
                .filter(d -> d.securityState() == SecurityState.LOCKED || d.status() == DeviceStatus.QUARANTINED
                        || d.status() == DeviceStatus.DECOMMISSIONED)
                .findFirst();
    }

    private static String staysDetached(StepHandler.StepContext c, DeviceView unready) {
        return "region " + c.region().name() + " stays detached: member " + unready.id() + " is "
                + (unready.securityState() == SecurityState.LOCKED ? "locked" : unready.status().wire());
    }
}
