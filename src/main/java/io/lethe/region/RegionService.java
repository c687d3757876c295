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
import io.lethe.region.RegionProblems.InvalidRegion;
import io.lethe.region.RegionProblems.MemberNotReady;
import io.lethe.region.RegionProblems.RangeNotInvalidated;
import io.lethe.region.RegionProblems.RegionInUse;
import io.lethe.region.RegionProblems.RegionNameTaken;
import io.lethe.region.RegionProblems.RegionOverlaps;
import io.lethe.security.Actors;
import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.Predicate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Regions of a host: declaration and reads. Other modules find a device's region here. */
@Service
public class RegionService {

    private static final Logger log = LoggerFactory.getLogger(RegionService.class);

    /** Where allocation starts when no base address is given: above the first 64 GiB of DRAM. */
    static final long FIRST_BASE = 64L << 30;

    /** CXL host bridge decoders map in 256 MiB granules. */
    static final long GRANULE = 256L << 20;

    private final RegionRepository regions;
    private final DeviceService devices;
    private final HostService hosts;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final HostOrder order;
    private final RegionLocks locks;

    private final AuditLog audit;
    private final TransactionTemplate tx;

    /**
     * A claim's outcome is recorded in a transaction of its own, also when the hardware is called
     * after a caller's transaction committed ({@code afterCommit}): there a joining transaction
     * would be the finished one, and the record would be lost while the hardware decodes.
     */
    private final TransactionTemplate ownTx;

    private final EntityManager entities;
    private final DecodedRanges ranges;

    RegionService(
            RegionRepository regions,
            DeviceService devices,
            HostService hosts,
            Clock clock,
            ApplicationEventPublisher events,
            HostOrder order,
            RegionLocks locks,
            AuditLog audit,
            PlatformTransactionManager transactions,
            EntityManager entities,
            DecodedRanges ranges) {
        this.ranges = ranges;
        this.entities = entities;
        this.tx = new TransactionTemplate(transactions);
        this.ownTx = new TransactionTemplate(transactions);
        this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
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
        List<UUID> members = resolveMembers(hostId, request);
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
        long base = request.baseAddress() != null ? request.baseAddress() : nextFreeBase(ofHost);
        ofHost.stream()
                .filter(r -> r.overlaps(base, request.sizeBytes()))
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
        lock(regionId).attachBy(operationId, clock.instant());
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
     * The operations (one, or a wave's members) take the region detached: their holds are recorded
     * and committed first, with a fencing token, then {@code resetDecoders} (the hardware action)
     * runs with that token, outside any transaction. From the holds on, nobody commits the region,
     * so until the reset has run the region only counts as detached sooner than it is (fail
     * closed). A pending commit claim is superseded at once: its token is lower, so its hardware
     * commit, should it land after this reset, is refused by the host, and if it landed before,
     * this reset undoes it. No clock is compared. Idempotent for the same operations; a step that
     * failed after its holds were recorded runs it again, with a new token.
     */
    public RegionView detachForAll(
            UUID regionId, List<UUID> operationIds, LongConsumer resetDecoders) {
        Fenced detach =
                tx.execute(
                        s -> {
                            Region region = lock(regionId);
                            Instant now = clock.instant();
                            operationIds.forEach(id -> region.hold(id, now));
                            return new Fenced(region.view(), order.next(region.hostId()));
                        });
        // Reset even when Lethe believed it detached: the hardware is the truth, and a reset is
        // idempotent.
        resetDecoders.accept(detach.fence());
        // From here on no line of its addresses is filled: what an invalidation must come after
        // before other memory decodes there.
        tx.executeWithoutResult(
                s ->
                        lockIfPresent(regionId)
                                .ifPresent(r -> r.decodeStopped(order.next(r.hostId()))));
        return detach.region();
    }

    /** A region as a transaction left it, and the fencing token that transaction took. */
    private record Fenced(RegionView region, long fence) {}

    /**
     * What became of a request to commit a region: committed, or why not, and whether another
     * operation's end commits it then (it holds the region, or its own invalidation is still to
     * cover its member's change).
     */
    public record CommitOutcome(boolean committed, String reason, boolean anotherCommitsIt) {}

    /**
     * The one path to commit a region, for every caller (a reattach or attach step, a wave's
     * members, a cancel). These operations let go of the region; it is committed, running {@code
     * commitDecoders} (the hardware action), only when no other operation holds it, every member is
     * ready (none locked, quarantined, retired, or of unknown media state) and the invariant holds.
     * Otherwise it stays detached and the outcome says why.
     *
     * <p>The claim protocol keeps the hardware call out of every transaction: the decision and the
     * releases commit with a claim and a fencing token (under the region's row lock), then the
     * hardware commits the decoders with that token, then the claim is recorded as done (the region
     * attached) or abandoned, each record in a transaction of its own. A detach that comes
     * meanwhile supersedes the claim at once with a higher token ({@link #detachForAll}): the host
     * refuses the lower token if the commit lands after that reset ({@code commitDecoders} answers
     * false, and the claim is abandoned), and the reset undoes it if it landed before. Nothing the
     * decision checked changes before the detach's reset: an erase starts only after it. A
     * committer that dies between the claim and its record leaves a claim that the next commit of
     * the region takes over, or a detach supersedes; the region stays detached in the meantime
     * (fail closed). Called inside a transaction (an operation's end), the claim commits with the
     * caller's transaction and the hardware is called after it committed.
     *
     * @param ownDevices the devices of these operations
     * @param commitInvalidates the host's kernel invalidates CPU caches inside the commit itself
     * @param commitDecoders commits with the fencing token it is given; false when the host refused
     *     it for a higher one
     * @throws RegionNotReady when a change of one of {@code ownDevices} is not covered by an
     *     invalidation (the operations let go all the same; the region stays detached)
     */
    public CommitOutcome releaseAndCommitAll(
            UUID regionId,
            List<UUID> operationIds,
            Set<UUID> ownDevices,
            boolean commitInvalidates,
            LongPredicate commitDecoders) {
        UUID claim = UUID.randomUUID();
        Decision decision =
                tx.execute(
                        s -> decide(regionId, operationIds, ownDevices, commitInvalidates, claim));
        if (decision.notReady() != null) {
            throw decision.notReady();
        }
        if (!decision.claimed()) {
            return new CommitOutcome(false, decision.reason(), decision.anotherCommitsIt());
        }
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            try {
                                completeClaim(regionId, claim, decision.fence(), commitDecoders);
                            } catch (RuntimeException e) {
                                log.warn(
                                        "Region {} stays detached: its commit failed ({})",
                                        regionId,
                                        e.getMessage());
                            }
                        }
                    });
            return new CommitOutcome(false, "its commit follows once this is recorded", true);
        }
        return completeClaim(regionId, claim, decision.fence(), commitDecoders);
    }

    /** The region's decision under its row lock; a decided commit is claimed. */
    private Decision decide(
            UUID regionId,
            List<UUID> operationIds,
            Set<UUID> ownDevices,
            boolean commitInvalidates,
            UUID claim) {
        Region region = lock(regionId);
        operationIds.forEach(id -> region.release(id, clock.instant()));
        if (region.heldByOthers(null)) {
            return Decision.handedOver("other operations hold it; the last one commits it");
        }
        String unready = region.unready();
        if (unready == null) {
            unready =
                    devices.findAll(region.deviceIds()).stream()
                            .map(RegionService::unready)
                            .filter(r -> r != null)
                            .findFirst()
                            .orElse(null);
        }
        if (unready != null) {
            return Decision.not(unready);
        }
        UUID uncovered = region.uncoveredMember(commitInvalidates);
        if (uncovered != null && ownDevices.contains(uncovered)) {
            // These operations' own invalidation should have covered their change: that is a
            // failure, not a wait.
            return new Decision(
                    false, null, new RegionNotReady(region.uncovered(uncovered)), 0, false);
        }
        if (uncovered != null) {
            // Another member's change (an unlock holds no region) is covered by its own operation's
            // invalidation, which commits then.
            return Decision.handedOver(
                    region.uncovered(uncovered) + "; its own operation commits the region");
        }
        String exposed = region.uncoveredExposure(commitInvalidates);
        if (exposed != null) {
            return Decision.not(exposed);
        }
        try {
            region.claimCommit(claim, clock.instant(), commitInvalidates);
        } catch (RegionNotReady notReady) {
            // Not thrown out of the transaction: the releases above commit all the same.
            return new Decision(false, null, notReady, 0, false);
        }
        return new Decision(true, null, null, order.next(region.hostId()), false);
    }

    /**
     * Calls the hardware for a claimed commit, then records it done or abandoned, each in a
     * transaction of its own.
     */
    private CommitOutcome completeClaim(
            UUID regionId, UUID claim, long fence, LongPredicate commitDecoders) {
        boolean committed;
        try {
            committed = commitDecoders.test(fence);
        } catch (RuntimeException refused) {
            abandon(regionId, claim);
            throw refused;
        }
        if (!committed) {
            // The host saw a later detach's token: the region is that operation's now.
            abandon(regionId, claim);
            return new CommitOutcome(false, "a later detach of it superseded this commit", true);
        }
        Boolean recorded =
                ownTx.execute(
                        s ->
                                lockIfPresent(regionId)
                                        .map(r -> r.commitClaimed(claim, clock.instant()))
                                        .orElse(false));
        return new CommitOutcome(
                true,
                Boolean.TRUE.equals(recorded)
                        ? null
                        : "another operation's commit of it recorded it",
                false);
    }

    private void abandon(UUID regionId, UUID claim) {
        ownTx.executeWithoutResult(
                s ->
                        lockIfPresent(regionId)
                                .ifPresent(r -> r.abandonClaim(claim, clock.instant())));
    }

    /**
     * The decision of {@link #decide}: claimed (with the commit's fencing token), or why not, or a
     * failure to throw once the releases committed.
     */
    private record Decision(
            boolean claimed,
            String reason,
            RegionNotReady notReady,
            long fence,
            boolean anotherCommitsIt) {
        static Decision not(String reason) {
            return new Decision(false, reason, null, 0, false);
        }

        static Decision handedOver(String reason) {
            return new Decision(false, reason, null, 0, true);
        }
    }

    /** Why a member device keeps its region from decoding, or null. */
    private static String unready(DeviceView device) {
        if (device.securityState() == SecurityState.LOCKED) {
            return "member " + device.id() + " is locked";
        }
        if (device.status() == DeviceStatus.QUARANTINED
                || device.status() == DeviceStatus.DECOMMISSIONED) {
            return "member " + device.id() + " is " + device.status().wire();
        }
        return null;
    }

    /** The operation lets go without committing: the region stays detached (fail closed). */
    @Transactional
    public void releaseDetached(UUID regionId, UUID operationId) {
        lockIfPresent(regionId).ifPresent(r -> r.release(operationId, clock.instant()));
    }

    /**
     * An erase or unlock of the device starts (in the transaction that records the step started):
     * until its end is recorded, the member's memory is in an unknown state and blocks every
     * commit.
     */
    @Transactional
    public void recordMediaChanging(UUID deviceId, UUID operationId) {
        locks.regionOf(deviceId)
                .flatMap(this::lockIfPresent)
                .ifPresent(r -> r.mediaChanging(deviceId, operationId));
    }

    /**
     * The device's erase or unlock was seen to end: its change gets the host's next order number,
     * which is answered (also for a device in no region: coalescing orders by it).
     */
    @Transactional
    public long recordMediaChange(UUID hostId, UUID deviceId) {
        long seq = order.next(hostId);
        locks.regionOf(deviceId)
                .flatMap(this::lockIfPresent)
                .ifPresent(r -> r.mediaChanged(deviceId, seq, clock.instant()));
        return seq;
    }

    /**
     * The operation's erase or unlock was refused before it reached the memory: the member's state
     * is known again.
     */
    @Transactional
    public void recordMediaUntouched(UUID deviceId, UUID operationId) {
        locks.regionOf(deviceId)
                .flatMap(this::lockIfPresent)
                .ifPresent(r -> r.mediaUntouched(deviceId, operationId));
    }

    /** The device was retired: its region never decodes again. */
    @Transactional
    public void recordRetired(UUID deviceId) {
        locks.regionOf(deviceId)
                .flatMap(this::lockIfPresent)
                .ifPresent(r -> r.retire(deviceId, clock.instant()));
    }

    /**
     * An invalidation of the host's caches is about to start: its host order number, taken now,
     * covers every change recorded before. Call in the transaction that claims the invalidation.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long nextInvalidationNumber(UUID hostId) {
        return order.next(hostId);
    }

    /** Takes the host's order lock for the caller's transaction (see {@link HostOrder}). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lockHostOrder(UUID hostId) {
        order.lock(hostId);
    }

    /**
     * A successful invalidation of the host, numbered {@code seq}, began at {@code startedAt} (as
     * reported; shown, not compared): it covers every region of the host.
     */
    @Transactional
    public void recordInvalidation(UUID hostId, long seq, Instant startedAt) {
        order.lock(hostId);
        // Under each region's row lock, in id order: operations of the host hold and release them
        // meanwhile.
        regions.findIdsByHostId(hostId)
                .forEach(id -> locks.lock(id).ifPresent(r -> r.invalidated(seq, startedAt)));
        ranges.coveredBy(hostId, seq);
    }

    /**
     * Removes a region that is detached, held by no operation, and whose members' changes are all
     * covered: the way to declare a new region without a retired member.
     */
    @Transactional
    void remove(String idText) {
        UUID id = Ids.parse(idText).orElseThrow(() -> new RegionNotFound(idText));
        Region region = lockIfPresent(id).orElseThrow(() -> new RegionNotFound(idText));
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

    /** The region's row lock, after its host's order lock (one lock order for every writer). */
    private Region lock(UUID regionId) {
        return lockIfPresent(regionId).orElseThrow(() -> new RegionNotFound(regionId.toString()));
    }

    private Optional<Region> lockIfPresent(UUID regionId) {
        Optional<UUID> host = locks.hostOf(regionId);
        host.ifPresent(order::lock);
        return host.flatMap(h -> locks.lock(regionId));
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

    private List<UUID> resolveMembers(UUID hostId, DeclareRegionRequest request) {
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

    private static long nextFreeBase(List<Region> ofHost) {
        long end = ofHost.stream().mapToLong(Region::end).max().orElse(FIRST_BASE);
        return (end + GRANULE - 1) / GRANULE * GRANULE;
    }
}
