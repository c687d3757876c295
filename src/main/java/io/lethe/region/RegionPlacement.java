package io.lethe.region;

import io.lethe.common.Ids;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.region.RegionProblems.InvalidRegion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Where a declared region goes: its members checked and ordered, its base address chosen. */
@Component
class RegionPlacement {

    /** Where allocation starts when no base address is given: above the first 64 GiB of DRAM. */
    static final long FIRST_BASE = 64L << 30;

    /** CXL host bridge decoders map in 256 MiB granules. */
    static final long GRANULE = 256L << 20;

    private final DeviceService devices;

    RegionPlacement(DeviceService devices) {
        this.devices = devices;
    }

    /**
     * The declared members, in interleave order: 1, 2, 4, 8 or 16 distinct devices of this host
     * whose capacity holds the region's size; a refusal names the field at fault.
     */
    List<UUID> members(UUID hostId, DeclareRegionRequest request) {
        List<String> given = request.deviceIds();
        if (!Region.ALLOWED_WAYS.contains(given.size())) {
            throw new InvalidRegion(
                    "deviceIds",
                    "a region interleaves 1, 2, 4, 8 or 16 devices, not " + given.size());
        }
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String field = "deviceIds[" + i + "]";
            UUID id =
                    Ids.parse(given.get(i))
                            .orElseThrow(() -> new InvalidRegion(field, "not a device id"));
            if (ids.contains(id)) {
                throw new InvalidRegion(field, "device " + id + " is listed twice");
            }
            ids.add(id);
        }
        Map<UUID, DeviceView> found =
                devices.findAll(new HashSet<>(ids)).stream()
                        .collect(Collectors.toMap(DeviceView::id, Function.identity()));
        long capacity = 0;
        for (int i = 0; i < ids.size(); i++) {
            DeviceView device = found.get(ids.get(i));
            if (device == null) {
                throw new InvalidRegion("deviceIds[" + i + "]", "no device with id " + ids.get(i));
            }
            if (!device.hostId().equals(hostId)) {
                throw new InvalidRegion(
                        "deviceIds[" + i + "]",
                        "device " + device.id() + " belongs to another host");
            }
            capacity += device.capacityBytes();
        }
        if (request.sizeBytes() > capacity) {
            throw new InvalidRegion(
                    "sizeBytes", "exceeds the members' total capacity of " + capacity + " bytes");
        }
        return ids;
    }

    /** The first granule-aligned address above the host's regions (or above the first 64 GiB). */
    static long nextFreeBase(List<Region> ofHost) {
        long end = ofHost.stream().mapToLong(r -> r.range().end()).max().orElse(FIRST_BASE);
        return (end + GRANULE - 1) / GRANULE * GRANULE;
    }
}
