package io.lethe.region;

import io.lethe.common.Ids;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.device.SecurityState;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
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
    private final ApplicationEventPublisher events;

    RegionService(RegionRepository regions, DeviceService devices, HostService hosts, Clock clock,
            ApplicationEventPublisher events) {
        this.regions = regions;
        this.devices = devices;
        this.hosts = hosts;
        this.clock = clock;
        this.events = events;
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
        // A region over a locked device cannot decode: it starts detached until an unlock attaches it.
        boolean attached = devices.findAll(members).stream().noneMatch(d -> d.securityState() == SecurityState.LOCKED);
        Region region = new Region(Ids.newId(), hostId, request.name(), base, request.sizeBytes(), members, attached,
                clock.instant());
        RegionView view;
        try {
            view = regions.saveAndFlush(region).view();
        } catch (DataIntegrityViolationException raced) {
            throw new DeviceAlreadyInRegion(members.toString(), "declared concurrently");
        }
        events.publishEvent(new RegionDeclared(view.id(), hostId, view.baseAddress(), view.deviceIds(), attached));
        return view;
    }

    /**
     * Declares a region its host reported, decoding or not as the host says; a region of that name
     * that exists already is left as it is (Lethe owns its state from then on). Answers the region
     * and whether it was created.
     */
    @Transactional
    public Discovered recordDiscovered(UUID hostId, String name, long baseAddress, long sizeBytes, List<UUID> members,
            boolean attached) {
        List<Region> ofHost = regions.findByHostId(hostId);
        var existing = ofHost.stream().filter(r -> r.name().equals(name)).findFirst();
        if (existing.isPresent()) {
            return new Discovered(existing.get().view(), false);
        }
        for (UUID member : members) {
            regions.findByMember(member).ifPresent(r -> {
                throw new DeviceAlreadyInRegion(member.toString(), r.name());
            });
        }
        Region region = new Region(Ids.newId(), hostId, name, baseAddress, sizeBytes, members, attached, clock.instant());
        RegionView view = regions.saveAndFlush(region).view();
        events.publishEvent(new RegionDeclared(view.id(), hostId, view.baseAddress(), view.deviceIds(), attached));
        return new Discovered(view, true);
    }

    /** A region discovery recorded, and whether it was new. */
    public record Discovered(RegionView region, boolean created) {
    }

    /** Whether Lethe drives regions interleaved this many ways. */
    public static boolean interleaveSupported(int ways) {
        return Region.ALLOWED_WAYS.contains(ways);
    }

    @Transactional(readOnly = true)
    public RegionView get(UUID id) {
        return regions.findById(id).map(Region::view).orElseThrow(() -> new RegionNotFound(id.toString()));
    }

    /**
     * The operations (one, or a wave's members) take the region detached: under the region's row
     * lock, records their holds and runs {@code resetDecoders} (the hardware action) before the
     * change commits. Idempotent for the same operations.
     */
    @Transactional
    public RegionView detachForAll(UUID regionId, List<UUID> operationIds, Runnable resetDecoders) {
        Region region = regions.lock(regionId).orElseThrow(() -> new RegionNotFound(regionId.toString()));
        operationIds.forEach(id -> region.hold(id, clock.instant()));
        // Reset even when Lethe believed it detached: the hardware is the truth, and a reset is idempotent.
        resetDecoders.run();
        return region.view();
    }

    /**
     * {@link #releaseAndCommit} for several operations at once (a wave's members): they all let go,
     * and the region is committed when no other operation holds it and the invariant holds.
     * Called from within this class, its transaction is the caller's, with the same attributes.
     *
     * @return true when this call committed the region
     * @throws RegionNotReady when the invariant forbids the commit; the region stays detached
     */
    @Transactional(noRollbackFor = RegionNotReady.class)
    public boolean releaseAndCommitAll(UUID regionId, List<UUID> operationIds, Runnable commitDecoders) {
        Region region = regions.lock(regionId).orElseThrow(() -> new RegionNotFound(regionId.toString()));
        UUID last = operationIds.get(operationIds.size() - 1);
        operationIds.stream().filter(id -> !id.equals(last)).forEach(id -> region.release(id, clock.instant()));
        if (region.heldByOthers(last)) {
            region.release(last, clock.instant());
            return false;
        }
        region.checkInvalidatedSinceLastChange();
        commitDecoders.run();
        region.commit(last, clock.instant());
        return true;
    }

    /**
     * The operation lets go of the region. When no other operation holds it and the invariant holds,
     * {@code commitDecoders} runs (the hardware action) and the region is attached; when others still
     * hold it, it stays detached for the last of them to commit.
     *
     * @return true when this call committed the region
     * @throws RegionNotReady when the invariant forbids the commit; the region stays detached
     */
    @Transactional(noRollbackFor = RegionNotReady.class)
    public boolean releaseAndCommit(UUID regionId, UUID operationId, Runnable commitDecoders) {
        return releaseAndCommitAll(regionId, List.of(operationId), commitDecoders);
    }

    /** The operation lets go without committing: the region stays detached (fail closed). */
    @Transactional
    public void releaseDetached(UUID regionId, UUID operationId) {
        regions.lock(regionId).ifPresent(r -> r.release(operationId, clock.instant()));
    }

    /** A member's memory changed behind the CPU's back (an erase or unlock finished at {@code at}). */
    @Transactional
    public void recordMediaChange(UUID deviceId, Instant at) {
        regions.findIdByMember(deviceId).flatMap(regions::lock).ifPresent(r -> r.mediaChanged(deviceId, at));
    }

    /** A successful invalidation of the host's caches began at {@code startedAt}: it covers every region. */
    @Transactional
    public void recordInvalidation(UUID hostId, Instant startedAt) {
        // Under each region's row lock, in id order: operations of the host hold and release them meanwhile.
        regions.findIdsByHostId(hostId).forEach(id -> regions.lock(id).ifPresent(r -> r.invalidated(startedAt)));
    }

    @Transactional(readOnly = true)
    public RegionView get(String id) {
        return Ids.parse(id).flatMap(regions::findById).map(Region::view).orElseThrow(() -> new RegionNotFound(id));
    }

    /** Every region of these hosts. */
    @Transactional(readOnly = true)
    public List<RegionView> findByHosts(java.util.Collection<UUID> hostIds) {
        return regions.findByHostIdIn(hostIds).stream().map(Region::view).toList();
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
