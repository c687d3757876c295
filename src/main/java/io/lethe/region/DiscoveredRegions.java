package io.lethe.region;

import io.lethe.common.Ids;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceStatus;
import io.lethe.device.DeviceView;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The regions a host's agent reports, taken into the inventory under the rules a declaration obeys
 * (see {@link #recordDiscovered}); the declaration through the API is {@link RegionService}'s.
 */
@Service
public class DiscoveredRegions {

    private final RegionRepository regions;
    private final DeviceService devices;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final HostOrder order;
    private final DecodedRanges ranges;

    DiscoveredRegions(
            RegionRepository regions,
            DeviceService devices,
            Clock clock,
            ApplicationEventPublisher events,
            HostOrder order,
            DecodedRanges ranges) {
        this.regions = regions;
        this.devices = devices;
        this.clock = clock;
        this.events = events;
        this.order = order;
        this.ranges = ranges;
    }

    /**
     * Declares a region its host reported, decoding or not as the host says; a region of that name
     * that exists already is left as it is (Lethe owns its state from then on). The declaration's
     * rules apply: every member available and in no other region, no overlap with another region of
     * the host. And the address rule: a region the host decodes over addresses that decoded for a
     * removed region since the host's last invalidation reads that region's lines, so Lethe does
     * not take it; one the host keeps detached there is taken with that exposure, and commits only
     * after an invalidation numbered after it. A region not taken is answered with the reason, and
     * nothing is recorded for it.
     */
    @Transactional
    public Discovered recordDiscovered(
            UUID hostId,
            String name,
            long baseAddress,
            long sizeBytes,
            List<UUID> members,
            boolean attached) {
        order.lock(hostId);
        List<Region> ofHost = regions.findByHostId(hostId);
        var existing = ofHost.stream().filter(r -> r.name().equals(name)).findFirst();
        if (existing.isPresent()) {
            return new Discovered(existing.get().view(), false, null);
        }
        String refusal = discoveryRefusal(ofHost, baseAddress, sizeBytes, members);
        Long exposure = ranges.uncoveredUntil(hostId, baseAddress, sizeBytes);
        if (refusal == null && exposure != null && attached) {
            refusal =
                    "the host decodes it over addresses that decoded for a removed region until host"
                            + " order "
                            + exposure
                            + " with no invalidation since: reset it on the host, then discover"
                            + " again";
        }
        if (refusal != null) {
            return new Discovered(null, false, refusal);
        }
        Region region =
                new Region(
                        Ids.newId(),
                        hostId,
                        name,
                        baseAddress,
                        sizeBytes,
                        members,
                        attached,
                        clock.instant());
        if (exposure != null) {
            region.exposedUntil(exposure);
        }
        RegionView view = regions.saveAndFlush(region).view();
        events.publishEvent(
                new RegionDeclared(
                        view.id(),
                        hostId,
                        view.baseAddress(),
                        view.deviceIds(),
                        attached,
                        false,
                        null));
        return new Discovered(view, true, null);
    }

    /** Why a region a host reported may not be taken under the declaration's rules, or null. */
    private String discoveryRefusal(
            List<Region> ofHost, long baseAddress, long sizeBytes, List<UUID> members) {
        for (UUID member : members) {
            var other = regions.findByMember(member);
            if (other.isPresent()) {
                return "member " + member + " is in region " + other.get().name();
            }
        }
        var overlapping =
                ofHost.stream().filter(r -> r.range().overlaps(baseAddress, sizeBytes)).findFirst();
        if (overlapping.isPresent()) {
            return "its addresses overlap region " + overlapping.get().name();
        }
        for (DeviceView device : devices.findAll(members)) {
            if (device.status() != DeviceStatus.AVAILABLE) {
                // As for a declaration: the barrier cannot vouch for a member an operation holds,
                // or one quarantined or retired.
                return "member " + device.id() + " is " + device.status().wire();
            }
        }
        return null;
    }

    /** A region discovery recorded and whether it was new, or why it was not taken. */
    public record Discovered(RegionView region, boolean created, String refusal) {}
}
