package io.lethe.region;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import java.util.UUID;

/** A member device of a region and when its memory last changed behind the CPU's back. */
@Embeddable
class Member {

    @Column(name = "device_id")
    private UUID deviceId;
    @Column(name = "media_changed_at")
    private Instant mediaChangedAt;

    protected Member() {
    }

    Member(UUID deviceId) {
        this.deviceId = deviceId;
    }

    UUID deviceId() {
        return deviceId;
    }

    Instant mediaChangedAt() {
        return mediaChangedAt;
    }

    void mediaChanged(Instant at) {
        if (mediaChangedAt == null || at.isAfter(mediaChangedAt)) {
            mediaChangedAt = at;
        }
    }
}
