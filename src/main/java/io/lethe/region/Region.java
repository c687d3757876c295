package io.lethe.region;

import io.lethe.common.WireEnum;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

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

    @Column(name = "base_address")
    private long baseAddress;

    @Column(name = "size_bytes")
    private long sizeBytes;

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

    /**
     * When the last successful cache invalidation of the host began, as reported: shown, never
     * compared.
     */
    @Column(name = "invalidated_at")
    private Instant invalidatedAt;

    /** Host order number of the last successful invalidation: what the barrier compares. */
    @Column(name = "invalidated_seq")
    private Long invalidatedSeq;

    /**
     * A commit decided under the region's lock and not yet recorded done: its committer is calling
     * the hardware (see {@link #claimCommit}). Null when none is pending.
     */
    @Column(name = "commit_claim")
    private UUID commitClaim;

    @Column(name = "commit_claimed_at")
    private Instant commitClaimedAt;

    /**
     * Host order number at which another region's decode over these addresses last stopped, while
     * no invalidation had covered it: this region commits only after one numbered after it.
     */
    @Column(name = "exposed_seq")
    private Long exposedSeq;

    /** Host order number taken after the decoders were last reset; null while it may decode. */
    @Column(name = "decode_stopped_seq")
    private Long decodeStoppedSeq;

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
        this.baseAddress = baseAddress;
        this.sizeBytes = sizeBytes;
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
     * commit claim is superseded: the detach that follows carries a higher fencing token, so the
     * host refuses the claimed commit if it lands later, and the reset undoes it if it landed
     * earlier.
     */
    boolean hold(UUID operationId, Instant now) {
        commitClaim = null;
        commitClaimedAt = null;
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
     * Why the region may not decode now, for a reason other than the barrier, or null: a retired
     * member (the interleave is fixed, so the region never decodes again), or a member whose memory
     * is in an unknown state (an erase or unlock started and was never seen to end).
     */
    String unready() {
        for (Member member : members) {
            if (member.retired()) {
                return "member "
                        + member.deviceId()
                        + " is retired: the region's interleave is fixed, so it stays"
                        + " detached; declare a new region without it";
            }
            if (member.mediaUnknown()) {
                return "member "
                        + member.deviceId()
                        + " has an unknown media state (operation "
                        + member.changingOperation()
                        + " started an erase or unlock that was never seen to end);"
                        + " a new secure erase of it, then an invalidation, clears this";
            }
        }
        return null;
    }

    /**
     * The invariant: a commit only after a successful invalidation whose host order number was
     * taken after the last media change (erase or unlock) of every member was recorded. Where the
     * host's kernel invalidates inside the commit itself ({@code commitInvalidates}), the commit is
     * that invalidation, and it starts after every recorded change.
     *
     * @throws RegionNotReady naming the first member whose change no invalidation covers, or which
     *     is not ready
     */
    void checkInvalidatedSinceLastChange(boolean commitInvalidates) {
        String unready = unready();
        if (unready != null) {
            throw new RegionNotReady(unready);
        }
        UUID uncovered = uncoveredMember(commitInvalidates);
        if (uncovered != null) {
            throw new RegionNotReady(uncovered(uncovered));
        }
        String exposed = uncoveredExposure(commitInvalidates);
        if (exposed != null) {
            throw new RegionNotReady(exposed);
        }
    }

    /**
     * Why the region's addresses are still exposed to another region's cached lines, or null: its
     * range decoded for a region since removed (see {@link #exposedUntil}), and no invalidation
     * numbered after that succeeded. A kernel that invalidates inside the commit covers it.
     */
    String uncoveredExposure(boolean commitInvalidates) {
        if (exposedSeq == null
                || commitInvalidates
                || invalidatedSeq != null && invalidatedSeq > exposedSeq) {
            return null;
        }
        return "its addresses decoded for another region until host order "
                + exposedSeq
                + " and no invalidation numbered after that succeeded (last: "
                + invalidatedSeq
                + "); the next invalidation of the host covers it";
    }

    /**
     * Declared over addresses that decoded for another region until host order {@code seq}, with no
     * invalidation since: the region starts detached and waits for one.
     */
    void exposedUntil(long seq) {
        exposedSeq = seq;
        state = RegionState.DETACHED.wire();
    }

    /** The decoders were reset; {@code seq} was taken after the reset completed. */
    void decodeStopped(long seq) {
        if (state() == RegionState.DETACHED) {
            decodeStoppedSeq = seq;
        }
    }

    /**
     * Until which host order number lines of the region's addresses may have been cached without an
     * invalidation covering them, or null when an invalidation covered them: what its removal
     * leaves behind. {@code ifUnknown} stands in where no reset was recorded (a number taken now).
     */
    Long uncoveredDecodeUntil(long ifUnknown) {
        long stopped = decodeStoppedSeq == null ? ifUnknown : decodeStoppedSeq;
        return invalidatedSeq != null && invalidatedSeq > stopped ? null : stopped;
    }

    /** The first member whose last recorded change no invalidation covers, or null. */
    UUID uncoveredMember(boolean commitInvalidates) {
        if (commitInvalidates) {
            return null;
        }
        return members.stream()
                .filter(m -> !m.coveredBy(invalidatedSeq))
                .map(Member::deviceId)
                .findFirst()
                .orElse(null);
    }

    String uncovered(UUID deviceId) {
        return "member "
                + deviceId
                + " changed (host order "
                + member(deviceId).mediaChangeSeq()
                + ") and no invalidation numbered after that succeeded (last: "
                + invalidatedSeq
                + ")";
    }

    /** Commits the region: only when no other operation holds it and the invariant holds. */
    void commit(UUID operationId, Instant now, boolean commitInvalidates) {
        if (heldByOthers(operationId)) {
            throw new RegionNotReady("other operations hold the region detached");
        }
        checkInvalidatedSinceLastChange(commitInvalidates);
        holds.remove(operationId);
        decodeStoppedSeq = null;
        state = RegionState.ATTACHED.wire();
        updatedAt = now;
    }

    /**
     * Decides a commit, on the same conditions as {@link #commit} (no other hold, every member
     * ready, the invariant), and records it as claimed: the committer calls the hardware next and
     * then {@link #commitClaimed}. A pending claim of another committer is taken over: it passed
     * the same checks under this lock, and committing decoders twice is harmless.
     */
    void claimCommit(UUID claim, Instant now, boolean commitInvalidates) {
        if (heldByOthers(null)) {
            throw new RegionNotReady("other operations hold the region detached");
        }
        checkInvalidatedSinceLastChange(commitInvalidates);
        commitClaim = claim;
        commitClaimedAt = now;
        updatedAt = now;
    }

    /**
     * The hardware committed the decoders for {@code claim}: the region is attached, true. False
     * when the claim is no longer the pending one (another committer took it over and records it).
     */
    boolean commitClaimed(UUID claim, Instant now) {
        if (!claim.equals(commitClaim)) {
            return false;
        }
        commitClaim = null;
        commitClaimedAt = null;
        decodeStoppedSeq = null;
        state = RegionState.ATTACHED.wire();
        updatedAt = now;
        return true;
    }

    /** The hardware refused or failed the commit of {@code claim}: the region stays detached. */
    void abandonClaim(UUID claim, Instant now) {
        if (claim.equals(commitClaim)) {
            commitClaim = null;
            commitClaimedAt = null;
            updatedAt = now;
        }
    }

    /**
     * An erase or unlock of the member starts: until its end is recorded, its memory is unknown.
     */
    void mediaChanging(UUID deviceId, UUID operationId) {
        member(deviceId).changing(operationId);
    }

    /** A member's change ended and was recorded with host order number {@code seq}. */
    void mediaChanged(UUID deviceId, long seq, Instant at) {
        member(deviceId).changed(seq, at);
    }

    /** The operation's change was refused before it reached the memory. */
    void mediaUntouched(UUID deviceId, UUID operationId) {
        member(deviceId).untouched(operationId);
    }

    void retire(UUID deviceId, Instant now) {
        member(deviceId).retire();
        state = RegionState.DETACHED.wire();
        updatedAt = now;
    }

    /**
     * A successful invalidation of the host whose order number is {@code seq} began at {@code
     * startedAt}.
     */
    void invalidated(long seq, Instant startedAt) {
        if (invalidatedSeq == null || seq > invalidatedSeq) {
            invalidatedSeq = seq;
            invalidatedAt = startedAt;
        }
    }

    /**
     * Whether the region may be removed: detached, held by nobody, and nothing it could expose
     * uncovered.
     */
    String removalRefusal() {
        if (state() == RegionState.ATTACHED) {
            return "it is attached";
        }
        if (!holds.isEmpty()) {
            return "operations hold it: " + holds;
        }
        if (commitClaim != null) {
            // Its committer may be committing the decoders right now.
            return "a commit of it is pending";
        }
        for (Member member : members) {
            if (member.retired()) {
                continue;
            }
            if (member.mediaUnknown()) {
                return "member "
                        + member.deviceId()
                        + " has an unknown media state; erase it first";
            }
            if (!member.coveredBy(invalidatedSeq)) {
                return "member "
                        + member.deviceId()
                        + " changed after the last invalidation; erase it first";
            }
        }
        return null;
    }

    private Member member(UUID deviceId) {
        return members.stream()
                .filter(m -> m.deviceId().equals(deviceId))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "device " + deviceId + " is no member of region " + id));
    }

    UUID hostId() {
        return hostId;
    }

    long end() {
        return baseAddress + sizeBytes;
    }

    boolean overlaps(long base, long size) {
        return base < end() && baseAddress < base + size;
    }

    RegionView view() {
        return new RegionView(
                id,
                hostId,
                name,
                baseAddress,
                sizeBytes,
                interleaveWays,
                deviceIds(),
                state(),
                invalidatedAt,
                attachOperationId,
                createdAt,
                updatedAt);
    }
}
