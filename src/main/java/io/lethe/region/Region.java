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
    @Column(name = "device_id")
    private List<UUID> deviceIds = new ArrayList<>();

    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Version
    private long version;

    protected Region() {
    }

    Region(UUID id, UUID hostId, String name, long baseAddress, long sizeBytes, List<UUID> deviceIds, Instant now) {
        if (!ALLOWED_WAYS.contains(deviceIds.size())) {
            throw new IllegalArgumentException("interleave ways must be one of " + ALLOWED_WAYS);
        }
        this.id = id;
        this.hostId = hostId;
        this.name = name;
        this.baseAddress = baseAddress;
        this.sizeBytes = sizeBytes;
        this.interleaveWays = deviceIds.size();
        this.deviceIds = new ArrayList<>(deviceIds);
        // A declared region describes what the host runs now: committed and decoding.
        this.state = RegionState.ATTACHED.wire();
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
        return deviceIds;
    }

    long end() {
        return baseAddress + sizeBytes;
    }

    boolean overlaps(long base, long size) {
        return base < end() && baseAddress < base + size;
    }

    RegionView view() {
        return new RegionView(id, hostId, name, baseAddress, sizeBytes, interleaveWays, List.copyOf(deviceIds),
                WireEnum.require(RegionState.class, state), createdAt, updatedAt);
    }
}
