package io.lethe.region;

import io.lethe.common.WireEnum;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A host-physical address range interleaved across devices of one host. Member order is the
 * interleave target order ({@code target0..N}).
 */
@Entity
@Table(name = "regions")
class Region {

    /** CXL interleave ways a region may have. */
    static final List<Integer> ALLOWED_WAYS = List.of(1, 2, 4, 8, 16);

    @Id private UUID id;

    @Column(name = "host_id")
    private UUID hostId;

    private String name;

    @Embedded private AddressRange range;

    @Column(name = "interleave_ways")
    private int interleaveWays;

    private String state;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "region_members", joinColumns = @JoinColumn(name = "region_id"))
    @OrderColumn(name = "position")
    private List<Member> members = new ArrayList<>();

    /** Operations that need the region detached; the last one to let go may commit it. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "region_holds", joinColumns = @JoinColumn(name = "region_id"))
    @Column(name = "operation_id")
    private Set<UUID> holds = new HashSet<>();

    /** The barrier's host order numbers (see {@link Barrier}). */
    @Embedded private Barrier barrier = new Barrier();

    /** A commit decided, whose hardware call may be under way (see {@link CommitClaim}). */
    @Embedded private CommitClaim claim = new CommitClaim();

    /** The attach-region operation started at declaration, if any. */
    @Column(name = "attach_operation_id")
    private UUID attachOperationId;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version private long version;

    protected Region() {}

    Region(
            UUID id,
            UUID hostId,
            String name,
            long baseAddress,
            long sizeBytes,
            List<UUID> deviceIds,
            boolean attached,
            Instant now) {
        if (!ALLOWED_WAYS.contains(deviceIds.size())) {
            throw new IllegalArgumentException("interleave ways must be one of " + ALLOWED_WAYS);
        }
        this.id = id;
        this.hostId = hostId;
        this.name = name;
        this.range = new AddressRange(baseAddress, sizeBytes);
        this.interleaveWays = deviceIds.size();
        deviceIds.forEach(d -> this.members.add(new Member(d)));
        this.state = (attached ? RegionState.ATTACHED : RegionState.DETACHED).wire();
        this.createdAt = now;
        this.updatedAt = now;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    List<UUID> deviceIds() {
        return members.stream().map(Member::deviceId).toList();
    }

    RegionState state() {
        return WireEnum.require(RegionState.class, state);
    }

    /**
     * The operation needs the region detached; true when it was attached until now. A pending
     * commit claim is superseded: the detach's higher fencing token makes the host refuse it.
     */
    boolean hold(UUID operationId, Instant now) {
        claim = new CommitClaim();
        holds.add(operationId);
        boolean wasAttached = state() == RegionState.ATTACHED;
        state = RegionState.DETACHED.wire();
        updatedAt = now;
        return wasAttached;
    }

    /**
     * The operation that commits a declared region takes it: until it ends nothing removes the
     * region, and whoever else holds it meanwhile leaves its commit to the last one out.
     */
    void attachBy(UUID operationId, Instant now) {
        hold(operationId, now);
        attachOperationId = operationId;
    }

    void release(UUID operationId, Instant now) {
        if (holds.remove(operationId)) {
            updatedAt = now;
        }
    }

    boolean heldByOthers(UUID operationId) {
        return holds.stream().anyMatch(h -> !h.equals(operationId));
    }

    /**
     * The commit decision, under the region's row lock: these operations let go; the region is
     * claimed for a commit only when no other operation holds it, it and its member devices are
     * ready ({@code membersUnready}: why a member device is not, or null) and the barrier lets it
     * ({@link Barrier#refusal}). A pending claim of another committer is taken over: it passed the
     * same checks under this lock, and committing decoders twice is harmless.
     */
    CommitDecision decideCommit(
            Collection<UUID> releasing,
            Set<UUID> ownDevices,
            Supplier<String> membersUnready,
            UUID claimId,
            Instant now) {
        releasing.forEach(id -> release(id, now));
        if (heldByOthers(null)) {
            return new CommitDecision.NotNow(
                    "other operations hold it; the last one commits it", true);
        }
        String unready = Members.unready(members);
        if (unready == null) {
            unready = membersUnready.get();
        }
        if (unready != null) {
            return new CommitDecision.NotNow(unready, false);
        }
        CommitDecision refused = barrier().refusal(members, ownDevices);
        if (refused != null) {
            return refused;
        }
        claim = CommitClaim.of(claimId, now);
        updatedAt = now;
        return new CommitDecision.Claimed();
    }

    /**
     * Declared over addresses that decoded for another region until host order {@code seq}, with no
     * invalidation since: the region starts detached and waits for one.
     */
    void exposedUntil(long seq) {
        barrier = barrier().exposedUntil(seq);
        state = RegionState.DETACHED.wire();
    }

    /** The decoders were reset; {@code seq} was taken after the reset completed. */
    void decodeStopped(long seq) {
        if (state() == RegionState.DETACHED) {
            barrier = barrier().decodeStopped(seq);
        }
    }

    /** See {@link Barrier#uncoveredDecodeUntil}. */
    Long uncoveredDecodeUntil(long ifUnknown) {
        return barrier().uncoveredDecodeUntil(ifUnknown);
    }

    /**
     * The hardware committed the decoders for {@code claim}: the region is attached, true. False
     * when the claim is no longer the pending one (another committer took it over and records it).
     */
    boolean commitClaimed(UUID claimId, Instant now) {
        if (!claim().is(claimId)) {
            return false;
        }
        claim = new CommitClaim();
        barrier = barrier().decoding();
        state = RegionState.ATTACHED.wire();
        updatedAt = now;
        return true;
    }

    /** The hardware refused or failed the commit of {@code claim}: the region stays detached. */
    void abandonClaim(UUID claimId, Instant now) {
        if (claim().is(claimId)) {
            claim = new CommitClaim();
            updatedAt = now;
        }
    }

    /** The member's record of its media: its changes, as the host's ledger records them. */
    Member member(UUID deviceId) {
        return Members.find(members, deviceId, id);
    }

    void retire(UUID deviceId, Instant now) {
        Members.find(members, deviceId, id).retire();
        state = RegionState.DETACHED.wire();
        updatedAt = now;
    }

    /**
     * A successful invalidation of the host whose order number is {@code seq} began at {@code
     * startedAt}.
     */
    void invalidated(long seq, Instant startedAt) {
        barrier = barrier().invalidated(seq, startedAt);
    }

    /**
     * Whether the region may be removed: detached, held by no operation, no commit pending, and
     * nothing it could expose uncovered.
     */
    String removalRefusal() {
        if (state() == RegionState.ATTACHED) {
            return "it is attached";
        }
        if (!holds.isEmpty()) {
            return "operations hold it: " + holds;
        }
        if (claim().pending()) {
            // Its committer may be committing the decoders right now.
            return "a commit of it is pending";
        }
        return Members.removalRefusal(members, barrier());
    }

    // Hibernate leaves an embedded value whose columns are all null as null.
    private Barrier barrier() {
        return barrier = barrier != null ? barrier : new Barrier();
    }

    private CommitClaim claim() {
        return claim = claim != null ? claim : new CommitClaim();
    }

    UUID hostId() {
        return hostId;
    }

    AddressRange range() {
        return range;
    }

    RegionView view() {
        return new RegionView(
                id,
                hostId,
                name,
                range.base(),
                range.size(),
                interleaveWays,
                deviceIds(),
                state(),
                barrier().invalidatedAt(),
                attachOperationId,
                createdAt,
                updatedAt);
    }
}
