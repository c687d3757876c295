package io.lethe.engine;

import io.lethe.backend.Backends;
import io.lethe.backend.HostBackend;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.engine.StepHandler.StepContext;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.region.RegionService;
import io.lethe.region.RegionView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What a step runs with: the operation's own record and the views of its host, device and region as
 * the starting transaction leaves them, read for all the operations a round starts at once.
 */
@Component
class StepContexts {

    private final HostService hosts;
    private final DeviceService devices;
    private final RegionService regions;
    private final Backends backends;

    StepContexts(
            HostService hosts, DeviceService devices, RegionService regions, Backends backends) {
        this.hosts = hosts;
        this.devices = devices;
        this.regions = regions;
        this.backends = backends;
    }

    /** The contexts of these operations' current steps, in their order. */
    List<StepContext> of(List<Operation> running) {
        if (running.isEmpty()) {
            return new ArrayList<>();
        }
        Map<UUID, HostView> hostViews =
                hosts.views(running.stream().map(Operation::hostId).toList());
        Map<UUID, DeviceView> deviceViews =
                devices.views(running.stream().map(Operation::deviceId).toList());
        Map<UUID, RegionView> regionViews =
                regions.views(
                        running.stream()
                                .map(op -> op.subject().regionId())
                                .filter(Objects::nonNull)
                                .toList());
        List<StepContext> contexts = new ArrayList<>();
        for (Operation op : running) {
            // An id not found reads again through get(), which refuses it by name.
            HostView host = hostViews.computeIfAbsent(op.hostId(), hosts::get);
            Step step = op.currentStep().orElseThrow();
            contexts.add(
                    context(
                            op,
                            step.name(),
                            step.startedAt(),
                            host,
                            deviceViews.computeIfAbsent(op.deviceId(), devices::get),
                            op.subject().regionId() == null
                                    ? null
                                    : regionViews.computeIfAbsent(
                                            op.subject().regionId(), regions::get),
                            backends.forHost(host)));
        }
        return contexts;
    }

    /** What the operation's step {@code step}, started at {@code startedAt}, runs with. */
    static StepContext context(
            Operation op,
            StepName step,
            Instant startedAt,
            HostView host,
            DeviceView device,
            RegionView region,
            HostBackend backend) {
        return new StepContext(
                op.id(),
                step,
                op.type(),
                op.requested().method(),
                op.requested().masterPassphrase(),
                op.requested().allowFinalAttempt(),
                op.requested().passphraseSealed(),
                op.requested().unlockKey(),
                op.ledger().verifyEvidence(),
                host,
                device,
                region,
                backend,
                startedAt,
                op.ledger().mediaChangeSeq());
    }
}
