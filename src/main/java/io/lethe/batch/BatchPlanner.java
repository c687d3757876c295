package io.lethe.batch;

import io.lethe.admission.Prechecks;
import io.lethe.batch.BatchProblems.InvalidBatch;
import io.lethe.common.Ids;
import io.lethe.common.LetheProblem;
import io.lethe.common.WireEnum;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.engine.OperationType;
import io.lethe.engine.WorkflowProperties;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.region.RegionService;
import io.lethe.region.RegionView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns a batch request into its plan: resolves the selector, applies the request-time refusals of
 * {@code Prechecks} to every device (the refused ones become blockers with the reason), and counts
 * the invalidations per host. The dry run and the real run use this same plan.
 */
@Component
class BatchPlanner {

    private final HostService hosts;
    private final DeviceService devices;
    private final RegionService regions;
    private final WorkflowProperties properties;

    BatchPlanner(
            HostService hosts,
            DeviceService devices,
            RegionService regions,
            WorkflowProperties properties) {
        this.hosts = hosts;
        this.devices = devices;
        this.regions = regions;
        this.properties = properties;
    }

    record Planned(OperationType type, BatchPlan plan, List<BatchPlan.Target> targets) {}

    Planned plan(BatchRequest request) {
        OperationType type =
                WireEnum.fromWire(OperationType.class, request.action())
                        .orElseThrow(
                                () ->
                                        new InvalidBatch(
                                                "action",
                                                "must be secure-erase, decommission or unlock; was '"
                                                        + request.action()
                                                        + "'"));
        if (type == OperationType.UNLOCK_DEVICE) {
            if (request.method() != null) {
                throw new InvalidBatch("method", "unlock takes no method");
            }
            if (request.passphrase() == null) {
                throw new InvalidBatch(
                        "passphrase",
                        "unlock needs a passphrase source: give the batch's passphrase");
            }
        } else if (request.method() == null) {
            throw new InvalidBatch("method", "an erase action needs a method");
        }
        Map<UUID, HostView> hostById = new LinkedHashMap<>();
        List<DeviceView> selected = select(request.selector(), hostById);
        Map<UUID, RegionView> regionByDevice = new HashMap<>();
        regions.findByHosts(hostById.keySet())
                .forEach(r -> r.deviceIds().forEach(d -> regionByDevice.put(d, r)));

        List<BatchPlan.Target> targets = new ArrayList<>();
        List<BatchPlan.Blocker> blockers = new ArrayList<>();
        for (DeviceView device : selected) {
            HostView host = hostById.get(device.hostId());
            try {
                Prechecks.refuseAtRequest(
                        new Prechecks.Asked(
                                type, request.method(), false, request.passphrase(), false),
                        device,
                        host);
                targets.add(new BatchPlan.Target(device, host, regionByDevice.get(device.id())));
            } catch (LetheProblem refused) {
                blockers.add(
                        new BatchPlan.Blocker(
                                device.id(), host.id(), refused.slug(), refused.getMessage()));
            }
        }
        return new Planned(type, summarize(type, request, targets, blockers), targets);
    }

    /** The plan for these targets and blockers. */
    BatchPlan summarize(
            OperationType type,
            BatchRequest request,
            List<BatchPlan.Target> targets,
            List<BatchPlan.Blocker> blockers) {
        Map<UUID, List<BatchPlan.Target>> byHost = new LinkedHashMap<>();
        targets.forEach(t -> byHost.computeIfAbsent(t.host().id(), k -> new ArrayList<>()).add(t));
        List<BatchPlan.HostPlan> plans = new ArrayList<>();
        int invalidations = 0;
        for (List<BatchPlan.Target> onHost : byHost.values()) {
            int count = onHost.size();
            // Erases run in waves of at most max-erases-per-host; one invalidation serves a wave.
            int waves =
                    type == OperationType.UNLOCK_DEVICE
                            ? 1
                            : (count + properties.maxErasesPerHost() - 1)
                                    / properties.maxErasesPerHost();
            invalidations += waves;
            HostView host = onHost.get(0).host();
            plans.add(
                    new BatchPlan.HostPlan(
                            host.id(),
                            host.name(),
                            onHost.stream().map(t -> t.device().id()).toList(),
                            onHost.stream()
                                    .filter(t -> t.region() != null)
                                    .map(t -> t.region().id())
                                    .distinct()
                                    .toList(),
                            waves));
        }
        return new BatchPlan(
                type.wire(),
                request.method() == null ? null : request.method().wire(),
                targets.size(),
                invalidations,
                plans,
                List.copyOf(blockers));
    }

    private List<DeviceView> select(BatchRequest.Selector selector, Map<UUID, HostView> hostById) {
        boolean none =
                (selector.hostIds() == null || selector.hostIds().isEmpty())
                        && (selector.deviceIds() == null || selector.deviceIds().isEmpty())
                        && (selector.labels() == null || selector.labels().isEmpty());
        if (none) {
            throw new InvalidBatch("selector", "give hostIds, deviceIds or labels");
        }
        Set<UUID> hostIds = new LinkedHashSet<>(ids("selector.hostIds", selector.hostIds()));
        hosts.findAll(hostIds).forEach(h -> hostById.put(h.id(), h));
        for (UUID id : hostIds) {
            if (!hostById.containsKey(id)) {
                throw new InvalidBatch("selector.hostIds", "no host with id '" + id + "'");
            }
        }
        if (selector.labels() != null && !selector.labels().isEmpty()) {
            hosts.findByLabels(selector.labels()).forEach(h -> hostById.put(h.id(), h));
        }
        Map<UUID, DeviceView> chosen = new LinkedHashMap<>();
        devices.findByHosts(hostById.keySet()).forEach(d -> chosen.put(d.id(), d));
        List<UUID> deviceIds = ids("selector.deviceIds", selector.deviceIds());
        Map<UUID, DeviceView> listed = new HashMap<>();
        devices.findAll(deviceIds).forEach(d -> listed.put(d.id(), d));
        for (UUID id : deviceIds) {
            DeviceView device = listed.get(id);
            if (device == null) {
                throw new InvalidBatch("selector.deviceIds", "no device with id '" + id + "'");
            }
            chosen.putIfAbsent(id, device);
        }
        Set<UUID> missingHosts = new LinkedHashSet<>();
        chosen.values().stream()
                .map(DeviceView::hostId)
                .filter(h -> !hostById.containsKey(h))
                .forEach(missingHosts::add);
        hosts.findAll(missingHosts).forEach(h -> hostById.put(h.id(), h));
        return chosen.values().stream()
                .sorted(Comparator.comparing(DeviceView::hostId).thenComparing(DeviceView::id))
                .toList();
    }

    private static List<UUID> ids(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            int index = i;
            ids.add(
                    Ids.parse(value)
                            .orElseThrow(
                                    () ->
                                            new InvalidBatch(
                                                    field + "[" + index + "]",
                                                    "not an id: '" + value + "'")));
        }
        return ids;
    }
}
