package io.lethe.region;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** The host-physical address range a region decodes: {@code [base, base + size)}. */
@Embeddable
class AddressRange {

    @Column(name = "base_address")
    private long base;

    @Column(name = "size_bytes")
    private long size;

    protected AddressRange() {}

    AddressRange(long base, long size) {
        this.base = base;
        this.size = size;
    }

    long base() {
        return base;
    }

    long size() {
        return size;
    }

    long end() {
        return base + size;
    }

    boolean overlaps(long otherBase, long otherSize) {
        return otherBase < end() && base < otherBase + otherSize;
    }
}
