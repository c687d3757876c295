package io.lethe.device;

import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.device.DeviceProblems.DeviceSerialTaken;
import io.lethe.host.HostService;
import jakarta.persistence.criteria.Predicate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The device inventory. Other modules read devices through it. */
@Service
public class DeviceService {

    private final DeviceRepository devices;
    private final HostService hosts;
    private final Clock clock;

    DeviceService(DeviceRepository devices, HostService hosts, Clock clock) {
        this.devices = devices;
        this.hosts = hosts;
        this.clock = clock;
    }

    @Transactional
    DeviceView register(String hostId, RegisterDeviceRequest request) {
        UUID host = hosts.get(hostId).id();
        if (devices.existsByKindAndSerial(request.kind().wire(), request.serial())) {
            throw new DeviceSerialTaken(request.kind(), request.serial());
        }
        try {
            return devices.saveAndFlush(new Device(Ids.newId(), host, request, clock.instant())).view();
        } catch (DataIntegrityViolationException raced) {
            throw new DeviceSerialTaken(request.kind(), request.serial());
        }
    }

    @Transactional(readOnly = true)
    public DeviceView get(String id) {
        return Ids.parse(id).flatMap(devices::findById).map(Device::view).orElseThrow(() -> new DeviceNotFound(id));
    }

    /** The devices with these ids that exist, in no particular order. */
    @Transactional(readOnly = true)
    public List<DeviceView> findAll(Collection<UUID> ids) {
        return devices.findAllById(ids).stream().map(Device::view).toList();
    }

    @Transactional(readOnly = true)
    CursorPage<DeviceView> list(DeviceFilter filter, Keyset keyset) {
        Specification<Device> page = (root, query, cb) -> {
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
        List<Device> rows = devices.findBy(page, q -> q.sortBy(Sort.by("id")).limit(keyset.fetchSize()).all());
        return CursorPage.of(rows, keyset, Device::id, Device::view);
    }

    /** Filters of {@code GET /api/v1/devices}; null means "any". */
    record DeviceFilter(UUID hostId, DeviceStatus status, String serial) {
    }
}
