package io.lethe.device;

import io.lethe.audit.AuditLog;
import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.common.Loads;
import io.lethe.device.DeviceProblems.DeviceSerialTaken;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.security.Actors;
import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.Predicate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The device inventory. Other modules read devices through it. */
@Service
public class DeviceService {

    private final DeviceRepository devices;
    private final HostService hosts;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    private final AuditLog audit;

    private final EntityManager entities;

    DeviceService(
            DeviceRepository devices,
            HostService hosts,
            Clock clock,
            ApplicationEventPublisher events,
            AuditLog audit,
            EntityManager entities) {
        this.entities = entities;
        this.audit = audit;
        this.devices = devices;
        this.hosts = hosts;
        this.clock = clock;
        this.events = events;
    }

    @Transactional
    DeviceView register(String hostId, RegisterDeviceRequest request) {
        HostView host = hosts.get(hostId);
        checkPassphrase(host, request);
        if (devices.existsByKindAndSerial(request.kind().wire(), request.serial())) {
            throw new DeviceSerialTaken(request.kind(), request.serial());
        }
        DeviceView device;
        try {
            device =
                    devices.saveAndFlush(
                                    new Device(Ids.newId(), host.id(), request, clock.instant()))
                            .view();
        } catch (DataIntegrityViolationException raced) {
            throw new DeviceSerialTaken(request.kind(), request.serial());
        }
        events.publishEvent(
                new DeviceRegistered(
                        device.id(),
                        host.id(),
                        device.kind(),
                        device.securityState(),
                        request.passphrase(),
                        request.masterPassphrase()));
        audit.recordAdmin(
                Actors.current(),
                "device-registered",
                host.id(),
                device.id(),
                device.kind().wire()
                        + " "
                        + device.serial()
                        + " registered on host "
                        + host.name());
        return device;
    }

    /**
     * Creates or updates a device its host reported; a serial registered on another host is
     * refused.
     */
    @Transactional
    public DiscoveredDevice.Recorded recordDiscovered(UUID hostId, DiscoveredDevice found) {
        var existing = devices.findByKindAndSerial(found.kind().wire(), found.serial());
        if (existing.isPresent()) {
            Device device = existing.get();
            if (!device.hostId().equals(hostId)) {
                throw new DeviceSerialTaken(found.kind(), found.serial());
            }
            boolean changed = device.refresh(found, clock.instant());
            return new DiscoveredDevice.Recorded(
                    device.view(),
                    changed ? DiscoveredDevice.Change.UPDATED : DiscoveredDevice.Change.UNCHANGED);
        }
        Device created =
                devices.saveAndFlush(
                        Device.discovered(Ids.newId(), hostId, found, clock.instant()));
        DeviceView view = created.view();
        events.publishEvent(
                new DeviceRegistered(
                        view.id(), hostId, view.kind(), view.securityState(), null, null));
        return new DiscoveredDevice.Recorded(view, DiscoveredDevice.Change.CREATED);
    }

    private void checkPassphrase(HostView host, RegisterDeviceRequest request) {
        SecurityState state =
                request.securityState() == null ? SecurityState.DISABLED : request.securityState();
        boolean simulated = hosts.backendOf(host).takesRegisteredPassphrases();
        boolean passphraseSet = state == SecurityState.LOCKED || state == SecurityState.UNLOCKED;
        if (request.passphrase() != null && !simulated) {
            throw new DeviceProblems.InvalidPassphrase(
                    "only devices of simulated hosts are registered with a passphrase");
        }
        if (simulated && passphraseSet && request.passphrase() == null) {
            throw new DeviceProblems.InvalidPassphrase(
                    "a simulated " + state.wire() + " device needs its passphrase");
        }
        if (request.masterPassphrase() != null && !simulated) {
            throw new DeviceProblems.InvalidPassphrase(
                    "masterPassphrase",
                    "only devices of simulated hosts are registered with a master passphrase");
        }
        if (request.passphrase() != null && !passphraseSet) {
            throw new DeviceProblems.InvalidPassphrase(
                    "a passphrase goes only with securityState locked or unlocked");
        }
    }

    /** An operation takes the device; refused when another one holds it. */
    @Transactional
    public DeviceView hold(UUID deviceId, UUID operationId) {
        Device device = require(deviceId);
        device.hold(operationId, clock.instant());
        return device.view();
    }

    /**
     * The holder's end releases the device, in the holder's transaction, to the status it leaves it
     * in; a no-op when another holds the device or none does.
     */
    @EventListener
    @Order(1)
    @Transactional(propagation = Propagation.MANDATORY)
    void on(DeviceHoldEnded ended) {
        require(ended.deviceId()).release(ended.holder(), ended.deviceLeft(), clock.instant());
    }

    /** Mirrors what the hardware reported: security state and unlock attempts left. */
    @Transactional
    public void recordSecurity(UUID deviceId, SecurityState state, Integer attemptsLeft) {
        require(deviceId).recordSecurity(state, attemptsLeft, clock.instant());
    }

    /** How many devices are in each status, for the {@code lethe_devices} gauge. */
    @Transactional(readOnly = true)
    public Map<DeviceStatus, Long> countByStatus() {
        Map<DeviceStatus, Long> counts = new EnumMap<>(DeviceStatus.class);
        for (DeviceStatus status : DeviceStatus.values()) {
            counts.put(status, devices.countByStatus(status.wire()));
        }
        return counts;
    }

    private Device require(UUID id) {
        return devices.findById(id).orElseThrow(() -> new DeviceNotFound(id.toString()));
    }

    @Transactional(readOnly = true)
    public DeviceView get(UUID id) {
        return require(id).view();
    }

    @Transactional(readOnly = true)
    public DeviceView get(String id) {
        return Ids.parse(id)
                .flatMap(devices::findById)
                .map(Device::view)
                .orElseThrow(() -> new DeviceNotFound(id));
    }

    /** Every device of these hosts, ordered by id. */
    @Transactional(readOnly = true)
    public List<DeviceView> findByHosts(Collection<UUID> hostIds) {
        return devices
                .findAll((root, query, cb) -> root.get("hostId").in(hostIds), Sort.by("id"))
                .stream()
                .map(Device::view)
                .toList();
    }

    /**
     * The views of the devices with these ids that exist, by id, as the caller's transaction sees
     * them; loaded together without flushing it first (see {@link Loads}).
     */
    @Transactional(readOnly = true)
    public Map<UUID, DeviceView> views(Collection<UUID> ids) {
        return Loads.views(entities, Device.class, ids, Device::id, Device::view);
    }

    /** The devices with these ids that exist, in no particular order. */
    @Transactional(readOnly = true)
    public List<DeviceView> findAll(Collection<UUID> ids) {
        return devices.findAllById(ids).stream().map(Device::view).toList();
    }

    @Transactional(readOnly = true)
    CursorPage<DeviceView> list(DeviceFilter filter, Keyset keyset) {
        Specification<Device> page =
                (root, query, cb) -> {
                    List<Predicate> where = new ArrayList<>();
                    where.add(cb.greaterThan(root.get("id"), keyset.after()));
                    if (filter.hostId() != null) {
                        where.add(cb.equal(root.get("hostId"), filter.hostId()));
                    }
                    if (filter.status() != null) {
                        where.add(cb.equal(root.get("status"), filter.status().wire()));
                    }
                    if (filter.serial() != null) {
                        where.add(cb.equal(root.get("serial"), filter.serial()));
                    }
                    return cb.and(where.toArray(Predicate[]::new));
                };
        List<Device> rows =
                devices.findBy(page, q -> q.sortBy(Sort.by("id")).limit(keyset.fetchSize()).all());
        return CursorPage.of(rows, keyset, Device::id, Device::view);
    }

    /** Filters of {@code GET /api/v1/devices}; null means "any". */
    record DeviceFilter(UUID hostId, DeviceStatus status, String serial) {}
}
