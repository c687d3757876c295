package io.lethe.region;

import io.lethe.audit.AuditLog;
import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.common.Loads;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceStatus;
import io.lethe.device.DeviceView;
import io.lethe.device.SecurityState;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.region.RegionProblems.DeviceAlreadyInRegion;
import io.lethe.region.RegionProblems.MemberNotReady;
import io.lethe.region.RegionProblems.RangeNotInvalidated;
import io.lethe.region.RegionProblems.RegionInUse;
import io.lethe.region.RegionProblems.RegionNameTaken;
import io.lethe.region.RegionProblems.RegionOverlaps;
import io.lethe.security.Actors;
import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.Predicate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Regions of a host: declaration, removal and reads. Other modules find a device's region here;
 * detaching and committing one is {@link RegionCommits}, the host's order of media changes and
 * invalidations {@link HostLedger}.
 */
@Service
public class RegionService {

    private final RegionRepository regions;
    private final DeviceService devices;
    private final HostService hosts;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final HostOrder order;
    private final RegionLocks locks;

    private final AuditLog audit;

    private final EntityManager entities;
    private final DecodedRanges ranges;
    private final RegionPlacement placement;

    RegionService(
            RegionRepository regions,
            DeviceService devices,
            HostService hosts,
            Clock clock,
            ApplicationEventPublisher events,
            HostOrder order,
            RegionLocks locks,
            AuditLog audit,
            EntityManager entities,
            DecodedRanges ranges,
            RegionPlacement placement) {
        this.placement = placement;
        this.ranges = ranges;
        this.entities = entities;
        this.audit = audit;
        this.order = order;
        this.locks = locks;
        this.regions = regions;
        this.devices = devices;
        this.hosts = hosts;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Declares a region. It starts detached: nothing decodes inside this transaction. Where every
     * member is unlocked and not sanitizing, an attach-region operation is started with it (by a
     * listener of {@link RegionDeclared}, in this transaction) to commit it through the one commit
     * path, after an invalidation where its addresses decoded for a region since removed and no
     * invalidation has covered that since ({@link DecodedRanges}). Otherwise the member's unlock
     * attaches it. On a host that cannot invalidate such a range is refused.
     */
    @Transactional
    RegionView declare(String hostIdText, DeclareRegionRequest request) {
        HostView host = hosts.get(hostIdText);
        UUID hostId = host.id();
        order.lock(hostId);
        List<UUID> members = placement.members(hostId, request);
        List<Region> ofHost = regions.findByHostId(hostId);
        if (ofHost.stream().anyMatch(r -> r.name().equals(request.name()))) {
            throw new RegionNameTaken(request.name());
        }
        for (UUID member : members) {
            regions.findByMember(member)
                    .ifPresent(
                            r -> {
                                throw new DeviceAlreadyInRegion(member.toString(), r.name());
                            });
        }
        long base =
                request.baseAddress() != null
                        ? request.baseAddress()
                        : RegionPlacement.nextFreeBase(ofHost);
        ofHost.stream()
                .filter(r -> r.range().overlaps(base, request.sizeBytes()))
                .findFirst()
                .ifPresent(
                        r -> {
                            throw new RegionOverlaps(r.name());
                        });
        Long exposure = ranges.uncoveredUntil(hostId, base, request.sizeBytes());
        if (exposure != null && !host.canInvalidateCaches()) {
            throw new RangeNotInvalidated(base, request.sizeBytes(), host.name());
        }
        boolean attachable = true;
        for (DeviceView device : devices.findAll(members)) {
            if (device.status() != DeviceStatus.AVAILABLE) {
                // A member an operation holds, or one quarantined or retired, has memory in a state
                // the barrier cannot vouch for.
                throw new MemberNotReady(device.id().toString(), device.status().wire());
            }
            // A locked member cannot decode, a sanitizing one has memory in flux: detached until an
            // operation attaches it.
            if (device.securityState() == SecurityState.LOCKED
                    || device.securityState() == SecurityState.SANITIZING) {
                attachable = false;
            }
        }
        Region region =
                new Region(
                        Ids.newId(),
                        hostId,
                        request.name(),
                        base,
                        request.sizeBytes(),
                        members,
                        false,
                        clock.instant());
        if (exposure != null) {
            region.exposedUntil(exposure);
        }
        Region saved;
        try {
            saved = regions.saveAndFlush(region);
        } catch (DataIntegrityViolationException raced) {
            throw new DeviceAlreadyInRegion(members.toString(), "declared concurrently");
        }
        RegionView view = saved.view();
        events.publishEvent(
                new RegionDeclared(
                        view.id(),
                        hostId,
                        view.baseAddress(),
                        view.deviceIds(),
                        false,
                        attachable,
                        exposure));
        audit.recordAdmin(
                Actors.current(),
                "region-declared",
                hostId,
                null,
                "region "
                        + view.name()
                        + " declared over "
                        + members.size()
                        + " device(s): "
                        + members);
        // The listener's attach operation took the managed row: its view names it.
        return saved.view();
    }

    /**
     * The attach-region operation started for a declared region takes it (in the declaration's
     * transaction).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void attachBy(UUID regionId, UUID operationId) {
        locks.inOrderOrThrow(regionId).attachBy(operationId, clock.instant());
    }

    /** Whether Lethe drives regions interleaved this many ways. */
    public static boolean interleaveSupported(int ways) {
        return Region.ALLOWED_WAYS.contains(ways);
    }

    @Transactional(readOnly = true)
    CursorPage<RegionView> list(UUID hostId, RegionState state, Keyset keyset) {
        Specification<Region> page =
                (root, query, cb) -> {
                    List<Predicate> where = new ArrayList<>();
                    where.add(cb.greaterThan(root.get("id"), keyset.after()));
                    if (hostId != null) {
                        where.add(cb.equal(root.get("hostId"), hostId));
                    }
                    if (state != null) {
                        where.add(cb.equal(root.get("state"), state.wire()));
                    }
                    return cb.and(where.toArray(Predicate[]::new));
                };
        List<Region> rows =
                regions.findBy(page, q -> q.sortBy(Sort.by("id")).limit(keyset.fetchSize()).all());
        return CursorPage.of(rows, keyset, Region::id, Region::view);
    }

    @Transactional(readOnly = true)
    public RegionView get(UUID id) {
        return regions.findById(id)
                .map(Region::view)
                .orElseThrow(() -> new RegionNotFound(id.toString()));
    }

    /**
     * Removes a region that is detached, held by no operation, and whose members' changes are all
     * covered: the way to declare a new region without a retired member.
     */
    @Transactional
    void remove(String idText) {
        UUID id = Ids.parse(idText).orElseThrow(() -> new RegionNotFound(idText));
        Region region = locks.inOrder(id).orElseThrow(() -> new RegionNotFound(idText));
        String refusal = region.removalRefusal();
        if (refusal != null) {
            throw new RegionInUse(region.name(), refusal);
        }
        Long uncovered = region.uncoveredDecodeUntil(order.next(region.hostId()));
        if (uncovered != null) {
            ranges.stoppedDecoding(
                    region.hostId(),
                    region.view().baseAddress(),
                    region.view().sizeBytes(),
                    uncovered);
        }
        regions.delete(region);
        regions.flush();
        events.publishEvent(new RegionRemoved(id, region.hostId()));
        audit.recordAdmin(
                Actors.current(),
                "region-removed",
                region.hostId(),
                null,
                "region " + region.name() + " (" + id + ") removed");
    }

    @Transactional(readOnly = true)
    public RegionView get(String id) {
        return Ids.parse(id)
                .flatMap(regions::findById)
                .map(Region::view)
                .orElseThrow(() -> new RegionNotFound(id));
    }

    /**
     * The views of the regions with these ids that exist, by id, as the caller's transaction sees
     * them; loaded together without flushing it first (see {@link Loads}).
     */
    @Transactional(readOnly = true)
    public Map<UUID, RegionView> views(Collection<UUID> ids) {
        return Loads.views(entities, Region.class, ids, Region::id, Region::view);
    }

    /** Every region of these hosts. */
    @Transactional(readOnly = true)
    public List<RegionView> findByHosts(Collection<UUID> hostIds) {
        return regions.findByHostIdIn(hostIds).stream().map(Region::view).toList();
    }

    /** The region a device belongs to, if any. */
    @Transactional(readOnly = true)
    public Optional<RegionView> findByDevice(UUID deviceId) {
        return regions.findByMember(deviceId).map(Region::view);
    }
}
