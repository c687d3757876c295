package io.lethe.engine;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/**
 * What an operation's steps recorded for the invariant and its evidence: the host order number of
 * the end of its erase or unlock (what coalescing compares, never a clock), the invalidation that
 * served it, and what verify read back. A value: each record is a new one, since Hibernate does not
 * see an embedded value changed in place.
 */
@Embeddable
class Ledger {

    @Column(name = "media_changed_at")
    private Instant mediaChangedAt;

    @Column(name = "media_change_seq")
    private Long mediaChangeSeq;

    @Column(name = "invalidation_started_at")
    private Instant invalidationStartedAt;

    /** Host order number of the invalidation that served the operation. */
    @Column(name = "invalidation_seq")
    private Long invalidationSeq;

    @Column(name = "verify_evidence")
    private String verifyEvidence;

    Ledger() {}

    private Ledger(
            Instant mediaChangedAt,
            Long mediaChangeSeq,
            Instant invalidationStartedAt,
            Long invalidationSeq,
            String verifyEvidence) {
        this.mediaChangedAt = mediaChangedAt;
        this.mediaChangeSeq = mediaChangeSeq;
        this.invalidationStartedAt = invalidationStartedAt;
        this.invalidationSeq = invalidationSeq;
        this.verifyEvidence = verifyEvidence;
    }

    Ledger mediaChange(Long seq, Instant at) {
        return new Ledger(at, seq, invalidationStartedAt, invalidationSeq, verifyEvidence);
    }

    Ledger invalidation(long seq, Instant startedAt) {
        return new Ledger(mediaChangedAt, mediaChangeSeq, startedAt, seq, verifyEvidence);
    }

    Ledger verifyEvidence(String evidence) {
        return new Ledger(
                mediaChangedAt, mediaChangeSeq, invalidationStartedAt, invalidationSeq, evidence);
    }

    Instant mediaChangedAt() {
        return mediaChangedAt;
    }

    Long mediaChangeSeq() {
        return mediaChangeSeq;
    }

    Instant invalidationStartedAt() {
        return invalidationStartedAt;
    }

    String verifyEvidence() {
        return verifyEvidence;
    }
}
