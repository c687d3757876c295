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
import java.util.Set;
import java.util.List;
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

    @Id
    private UUID id;
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

    /** When the last successful cache invalidation of the host began. */
    @Column(name = "invalidated_at")
    private Instant invalidatedAt;

    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Version
    private long version;

    protected Region() {
    }

    Region(UUID id, UUID hostId, String name, long baseAddress, long sizeBytes, List<UUID> deviceIds, boolean attached,
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

    /** The operation needs the region detached; true when it was attached until now. */
    boolean hold(UUID operationId, Instant now) {
        holds.add(operationId);
        boolean wasAttached = state() == RegionState.ATTACHED;
        state = RegionState.DETACHED.wire();
        updatedAt = now;
        return wasAttached;
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
     * The invariant: a commit only after a successful invalidation that started after the last
     * erase or unlock of every member finished.
     *
     * @throws RegionNotReady naming the first member whose change the last invalidation does not cover
     */
    void checkInvalidatedSinceLastChange() {
        for (Member member : members) {
            Instant changed = member.mediaChangedAt();
            if (changed != null && (invalidatedAt == null || !invalidatedAt.isAfter(changed))) {
                throw new RegionNotReady("member " + member.deviceId() + " changed at " + changed
                        + " and no invalidation started after that (last: " + invalidatedAt + ")");
            }
        }
    }

    /** Commits the region: only when no other operation holds it and the invariant holds. */
    void commit(UUID operationId, Instant now) {
        if (heldByOthers(operationId)) {
            throw new RegionNotReady("other operations hold the region detached");
        }
        checkInvalidatedSinceLastChange();
        holds.remove(operationId);
        state = RegionState.ATTACHED.wire();
        updatedAt = now;
    }

    void mediaChanged(UUID deviceId, Instant at) {
        members.stream().filter(m -> m.deviceId().equals(deviceId)).forEach(m -> m.mediaChanged(at));
    }

    void invalidated(Instant startedAt) {
        if (invalidatedAt == null || startedAt.isAfter(invalidatedAt)) {
            invalidatedAt = startedAt;
        }
    }

    long end() {
        return baseAddress + sizeBytes;
    }

    boolean overlaps(long base, long size) {
        return base < end() && baseAddress < base + size;
    }

    RegionView view() {
        return new RegionView(id, hostId, name, baseAddress, sizeBytes, interleaveWays, deviceIds(), state(),
                invalidatedAt, createdAt, updatedAt);
    }
}
