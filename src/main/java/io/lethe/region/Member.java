package io.lethe.region;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import java.util.UUID;

/**
 * A member device of a region and what the commit barrier needs to know of its memory: the host
 * order number of its last recorded media change, whether a change is under way or ended unseen
 * (its media state unknown), and whether it was retired.
 */
@Embeddable
class Member {

    @Column(name = "device_id")
    private UUID deviceId;

    /**
     * When the last change was recorded, as the recording replica saw it: shown, never compared.
     */
    @Column(name = "media_changed_at")
    private Instant mediaChangedAt;

    @Column(name = "media_change_seq")
    private Long mediaChangeSeq;

    /**
     * The operation whose erase or unlock started and was not yet seen to end; null when the state
     * is known.
     */
    @Column(name = "changing_operation")
    private UUID changingOperation;

    private boolean retired;

    protected Member() {}

    Member(UUID deviceId) {
        this.deviceId = deviceId;
    }

    UUID deviceId() {
        return deviceId;
    }

    Long mediaChangeSeq() {
        return mediaChangeSeq;
    }

    boolean mediaUnknown() {
        return changingOperation != null;
    }

    UUID changingOperation() {
        return changingOperation;
    }

    boolean retired() {
        return retired;
    }

    /**
     * Whether an invalidation numbered {@code invalidatedSeq} (null: none yet) covers this member's
     * last change.
     */
    boolean coveredBy(Long invalidatedSeq) {
        return mediaChangeSeq == null || invalidatedSeq != null && invalidatedSeq > mediaChangeSeq;
    }

    void changing(UUID operationId) {
        changingOperation = operationId;
    }

    /**
     * A change ended and was recorded: the memory is known again, and differs from what caches may
     * hold.
     */
    void changed(long seq, Instant at) {
        if (mediaChangeSeq == null || seq > mediaChangeSeq) {
            mediaChangeSeq = seq;
            mediaChangedAt = at;
        }
        changingOperation = null;
    }

    /** The operation's change was refused before it touched the memory (a wrong passphrase). */
    void untouched(UUID operationId) {
        if (operationId.equals(changingOperation)) {
            changingOperation = null;
        }
    }

    void retire() {
        retired = true;
    }
}
