package io.lethe.region;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A region's side of the commit barrier: the host order numbers the invariant compares. The last
 * successful invalidation of the host, until when the region's addresses decoded for a region since
 * removed, and when its own decoders were last reset. Host order numbers are taken under the host's
 * order lock ({@link HostOrder}); no clock is compared.
 */
@Embeddable
class Barrier {

    /**
     * When the last successful invalidation of the host began (as reported by the host): shown,
     * never compared.
     */
    @Column(name = "invalidated_at")
    private Instant invalidatedAt;

    /** Host order number of the last successful invalidation: what the barrier compares. */
    @Column(name = "invalidated_seq")
    private Long invalidatedSeq;

    /**
     * Host order number until which the region's addresses decoded for a region since removed, with
     * no invalidation since then; null when nothing is exposed.
     */
    @Column(name = "exposed_seq")
    private Long exposedSeq;

    /** Host order number taken after the decoders were last reset; null while it may decode. */
    @Column(name = "decode_stopped_seq")
    private Long decodeStoppedSeq;

    Barrier() {}

    private Barrier(Instant invalidatedAt, Long invalidatedSeq, Long exposedSeq, Long stoppedSeq) {
        this.invalidatedAt = invalidatedAt;
        this.invalidatedSeq = invalidatedSeq;
        this.exposedSeq = exposedSeq;
        this.decodeStoppedSeq = stoppedSeq;
    }

    Instant invalidatedAt() {
        return invalidatedAt;
    }

    /** Whether the member's last recorded change is covered by the last invalidation. */
    boolean covers(Member member) {
        return member.coveredBy(invalidatedSeq);
    }

    /**
     * The barrier's refusal of a commit, or null when it may commit: the first member whose last
     * recorded change no invalidation covers (the requesting operations' failure where it is one of
     * {@code ownDevices}, whose own invalidation should have covered it; otherwise its own
     * operation commits the region then), or addresses still exposed to a removed region's lines.
     * No backend waives it: where the kernel invalidates inside the commit, the invalidate-cache
     * step still takes its number (see {@code HostBackend.kernelInvalidatesInCommit}).
     */
    CommitDecision refusal(List<Member> members, Set<UUID> ownDevices) {
        for (Member member : members) {
            if (!covers(member)) {
                String why =
                        "member "
                                + member.deviceId()
                                + " changed (host order "
                                + member.mediaChangeSeq()
                                + ") and no invalidation numbered after that succeeded (last: "
                                + invalidatedSeq
                                + ")";
                return ownDevices.contains(member.deviceId())
                        ? new CommitDecision.Fails(new RegionNotReady(why))
                        : new CommitDecision.NotNow(
                                why + "; its own operation commits the region", true);
            }
        }
        String exposed = uncoveredExposure();
        return exposed == null ? null : new CommitDecision.NotNow(exposed, false);
    }

    /**
     * Why the region's addresses are still exposed to another region's cached lines, or null: its
     * range decoded for a region since removed (see {@link #exposedUntil}), and no invalidation
     * numbered after that succeeded.
     */
    private String uncoveredExposure() {
        if (exposedSeq == null || invalidatedSeq != null && invalidatedSeq > exposedSeq) {
            return null;
        }
        return "its addresses decoded for another region until host order "
                + exposedSeq
                + " and no invalidation numbered after that succeeded (last: "
                + invalidatedSeq
                + "); the next invalidation of the host covers it";
    }

    Barrier exposedUntil(long seq) {
        return new Barrier(invalidatedAt, invalidatedSeq, seq, decodeStoppedSeq);
    }

    Barrier decodeStopped(long seq) {
        return new Barrier(invalidatedAt, invalidatedSeq, exposedSeq, seq);
    }

    /** The decoders were committed: the region decodes again. */
    Barrier decoding() {
        return new Barrier(invalidatedAt, invalidatedSeq, exposedSeq, null);
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

    /**
     * A successful invalidation of the host whose order number is {@code seq} began at {@code
     * startedAt}.
     */
    Barrier invalidated(long seq, Instant startedAt) {
        if (invalidatedSeq == null || seq > invalidatedSeq) {
            return new Barrier(startedAt, seq, exposedSeq, decodeStoppedSeq);
        }
        return this;
    }
}
