package io.lethe.region;

import io.lethe.common.Ids;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.host.HostService;
import io.lethe.region.RegionProblems.DeviceAlreadyInRegion;
import io.lethe.region.RegionProblems.InvalidRegion;
import io.lethe.region.RegionProblems.RegionNameTaken;
import io.lethe.region.RegionProblems.RegionOverlaps;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Regions of a host: declaration and reads. Other modules find a device's region here. */
@Service
public class RegionService {

    /** Where allocation starts when no base address is given: above the first 64 GiB of DRAM. */
    static final long FIRST_BASE = 64L << 30;
    /** CXL host bridge decoders map in 256 MiB granules. */
    static final long GRANULE = 256L << 20;

    private final RegionRepository regions;
    private final DeviceService devices;
    private final HostService hosts;
    private final Clock clock;

    RegionService(RegionRepository regions, DeviceService devices, HostService hosts, Clock clock) {
        this.regions = regions;
        this.devices = devices;
        this.hosts = hosts;
        this.clock = clock;
    }

    @Transactional
    RegionView declare(String hostIdText, DeclareRegionRequest request) {
        UUID hostId = hosts.get(hostIdText).id();
        List<UUID> members = resolveMembers(hostId, request);
        List<Region> ofHost = regions.findByHostId(hostId);
        if (ofHost.stream().anyMatch(r -> r.name().equals(request.name()))) {
            throw new RegionNameTaken(request.name());
        }
        for (UUID member : members) {
            regions.findByMember(member).ifPresent(r -> {
                throw new DeviceAlreadyInRegion(member.toString(), r.name());
            });
        }
        long base = request.baseAddress() != null ? request.baseAddress() : nextFreeBase(ofHost);
        ofHost.stream().filter(r -> r.overlaps(base, request.sizeBytes())).findFirst().ifPresent(r -> {
            throw new RegionOverlaps(r.name());
        });
        Region region = new Region(Ids.newId(), hostId, request.name(), base, request.sizeBytes(), members, clock.instant());
        try {
            return regions.saveAndFlush(region).view();
        } catch (DataIntegrityViolationException raced) {
            throw new DeviceAlreadyInRegion(members.toString(), "declared concurrently");
        }
    }

    @Transactional(readOnly = true)
    public RegionView get(String id) {
        return Ids.parse(id).flatMap(regions::findById).map(Region::view).orElseThrow(() -> new RegionNotFound(id));
    }

    /** The region a device belongs to, if any. */
    @Transactional(readOnly = true)
    public Optional<RegionView> findByDevice(UUID deviceId) {
        return regions.findByMember(deviceId).map(Region::view);
    }

    private List<UUID> resolveMembers(UUID hostId, DeclareRegionRequest request) {
        List<String> given = request.deviceIds();
        if (!Region.ALLOWED_WAYS.contains(given.size())) {
            throw new InvalidRegion("deviceIds", "a region interleaves 1, 2, 4, 8 or 16 devices, not " + given.size());
        }
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String field = "deviceIds[" + i + "]";
            UUID id = Ids.parse(given.get(i)).orElseThrow(() -> new InvalidRegion(field, "not a device id"));
            if (ids.contains(id)) {
                throw new InvalidRegion(field, "device " + id + " is listed twice");
            }
            ids.add(id);
        }
        Map<UUID, DeviceView> found = devices.findAll(new HashSet<>(ids)).stream()
                .collect(Collectors.toMap(DeviceView::id, Function.identity()));
        long capacity = 0;
        for (int i = 0; i < ids.size(); i++) {
            DeviceView device = found.get(ids.get(i));
            if (device == null) {
                throw new InvalidRegion("deviceIds[" + i + "]", "no device with id " + ids.get(i));
            }
            if (!device.hostId().equals(hostId)) {
                throw new InvalidRegion("deviceIds[" + i + "]", "device " + device.id() + " belongs to another host");
            }
            capacity += device.capacityBytes();
        }
        if (request.sizeBytes() > capacity) {
            throw new InvalidRegion("sizeBytes", "exceeds the members' total capacity of " + capacity + " bytes");
        }
        return ids;
    }

    private static long nextFreeBase(List<Region> ofHost) {
        long end = ofHost.stream().mapToLong(Region::end).max().orElse(FIRST_BASE);
        return (end + GRANULE - 1) / GRANULE * GRANULE;
    }
}
