package io.lethe.discovery;

import io.lethe.audit.AuditLog;
import io.lethe.backend.BackendException;
import io.lethe.backend.Backends;
import io.lethe.backend.HostBackend.FoundDevice;
import io.lethe.backend.HostBackend.FoundRegion;
import io.lethe.backend.HostBackend.Inventory;
import io.lethe.device.DeviceService;
import io.lethe.device.DiscoveredDevice;
import io.lethe.host.CacheInvalidation;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.region.DiscoveredRegions;
import io.lethe.region.RegionService;
import io.lethe.security.Actors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the inventory from the backend first (outside any transaction: it is network I/O), then
 * records all of it in one transaction, so a discovery is recorded whole or not at all.
 */
@Service
class DiscoveryService {

    private final HostService hosts;
    private final DeviceService devices;
    private final DiscoveredRegions discovered;
    private final Backends backends;
    private final TransactionTemplate transaction;

    private final AuditLog audit;

    DiscoveryService(
            HostService hosts,
            DeviceService devices,
            DiscoveredRegions discovered,
            Backends backends,
            TransactionTemplate transaction,
            AuditLog audit) {
        this.audit = audit;
        this.hosts = hosts;
        this.devices = devices;
        this.discovered = discovered;
        this.backends = backends;
        this.transaction = transaction;
    }

    DiscoveryReport discover(String hostId) {
        HostView host = hosts.get(hostId);
        Inventory inventory;
        try {
            inventory = backends.forHost(host).inventory(host);
        } catch (BackendException e) {
            throw new DiscoveryFailed(
                    e.retryable() ? HttpStatus.BAD_GATEWAY : HttpStatus.CONFLICT,
                    "the backend of host "
                            + host.name()
                            + " did not report its inventory: "
                            + e.getMessage());
        }
        return transaction.execute(status -> record(host, inventory));
    }

    private DiscoveryReport record(HostView host, Inventory inventory) {
        List<UUID> created = new ArrayList<>();
        List<UUID> updated = new ArrayList<>();
        List<UUID> unchanged = new ArrayList<>();
        Map<String, UUID> bySerial = new HashMap<>();
        for (FoundDevice found : inventory.devices()) {
            var recorded =
                    devices.recordDiscovered(
                            host.id(),
                            new DiscoveredDevice(
                                    found.kind(),
                                    found.serial(),
                                    found.manufacturer(),
                                    found.model(),
                                    found.firmwareVersion(),
                                    found.capacityBytes(),
                                    found.securityState(),
                                    found.unlockAttemptsLeft()));
            bySerial.put(found.serial(), recorded.device().id());
            (switch (recorded.change()) {
                        case CREATED -> created;
                        case UPDATED -> updated;
                        case UNCHANGED -> unchanged;
                    })
                    .add(recorded.device().id());
        }
        List<UUID> regionsCreated = new ArrayList<>();
        List<UUID> regionsUnchanged = new ArrayList<>();
        List<DiscoveryReport.Skipped> skipped = new ArrayList<>();
        for (FoundRegion found : inventory.regions()) {
            if (!RegionService.interleaveSupported(found.memberSerials().size())) {
                skipped.add(
                        new DiscoveryReport.Skipped(
                                found.name(),
                                found.memberSerials().size()
                                        + "-way interleave: Lethe drives regions of 1, 2, 4, 8 or 16 ways"));
                continue;
            }
            List<UUID> members = found.memberSerials().stream().map(bySerial::get).toList();
            if (members.contains(null)) {
                throw new DiscoveryFailed(
                        HttpStatus.BAD_GATEWAY,
                        "region "
                                + found.name()
                                + " names a member device the host did not report");
            }
            var region =
                    discovered.recordDiscovered(
                            host.id(),
                            found.name(),
                            found.baseAddress(),
                            found.sizeBytes(),
                            members,
                            found.attached());
            if (region.refusal() != null) {
                skipped.add(new DiscoveryReport.Skipped(found.name(), region.refusal()));
                continue;
            }
            (region.created() ? regionsCreated : regionsUnchanged).add(region.region().id());
        }
        CacheInvalidation capability =
                inventory.invalidationRefusal() == null
                        ? CacheInvalidation.SUPPORTED
                        : CacheInvalidation.UNSUPPORTED;
        boolean capabilityChanged = hosts.recordCacheInvalidation(host.id(), capability);
        audit.recordAdmin(
                Actors.current(),
                "host-discovered",
                host.id(),
                null,
                "discovery of "
                        + host.name()
                        + ": devices "
                        + created.size()
                        + " created, "
                        + updated.size()
                        + " updated, "
                        + unchanged.size()
                        + " unchanged; regions "
                        + regionsCreated.size()
                        + " created, "
                        + skipped.size()
                        + " skipped; cache invalidation "
                        + capability.wire()
                        + (capabilityChanged ? " (changed)" : ""));
        return new DiscoveryReport(
                host.id(),
                capability,
                inventory.invalidationRefusal(),
                capabilityChanged,
                new DiscoveryReport.Changes(created, updated, unchanged),
                new DiscoveryReport.Changes(regionsCreated, List.of(), regionsUnchanged),
                skipped);
    }
}
