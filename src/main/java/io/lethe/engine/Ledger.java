package io.lethe.engine;

import java.time.Instant;
import org.hibernate.annotations.Immutable;

/**
 * What an operation's steps recorded for the invariant and its evidence: the host order number of
 * the end of its erase or unlock (what coalescing compares, never a clock), the invalidation that
 * served it, and what verify read back. Stored as one typed document beside the operation ({@link
 * LedgerDocument}), not as columns of the aggregate: a step that records something new adds a
 * component here and needs no migration. A value: each record is a new one.
 *
 * @param mediaChangeSeq host order number of the end of the erase or unlock, or of an exposure an
 *     attach must cover
 * @param mediaChangedAt when that was recorded (shown only)
 * @param invalidationSeq host order number of the invalidation that served the operation
 * @param invalidationStartedAt when that invalidation was reported to have started
 * @param verifyEvidence what verify read back, as {@link ReadBack} writes it
 */
@Immutable // replaced, never changed in place: Hibernate need not copy it to see a change
record Ledger(
        Long mediaChangeSeq,
        Instant mediaChangedAt,
        Long invalidationSeq,
        Instant invalidationStartedAt,
        String verifyEvidence) {

    static final Ledger EMPTY = new Ledger(null, null, null, null, null);

    Ledger mediaChange(Long seq, Instant at) {
        return new Ledger(seq, at, invalidationSeq, invalidationStartedAt, verifyEvidence);
    }

    Ledger invalidation(long seq, Instant startedAt) {
        return new Ledger(mediaChangeSeq, mediaChangedAt, seq, startedAt, verifyEvidence);
    }

    Ledger verifyEvidence(String evidence) {
        return new Ledger(
                mediaChangeSeq, mediaChangedAt, invalidationSeq, invalidationStartedAt, evidence);
    }
}
