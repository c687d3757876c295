package io.lethe.audit;

import java.util.UUID;

/**
 * A statement about the audit chain that something kept apart from the chain vouches for: a signed
 * checkpoint of the chain's head (a place: sequence number and hash), or the closing record a
 * certificate names (a record: its id and the hash of its content). Verification holds the chain
 * against every anchor, so cutting records off the end or rewriting a record and every hash after
 * it shows, as long as an anchor names a record at or after the change.
 *
 * @param seq the record's place in the chain; 0 for an anchor that names a record by its id
 * @param hash the record's chain hash as the anchor states it; null with {@code recordId}
 * @param recordId the record's id, for an anchor signed before the record had a place
 * @param contentHash {@link AuditChain#contentHash} of the record, with {@code recordId}
 * @param source what the anchor is, for the report ("checkpoint 12", "certificate of operation
 *     ...")
 * @param authentic whether the anchor's own signature holds with a key Lethe trusts (an anchor that
 *     fails it is itself a break)
 */
public record AuditAnchor(
        long seq,
        String hash,
        UUID recordId,
        String contentHash,
        String source,
        boolean authentic) {

    /** An anchor of a place in the chain. */
    public static AuditAnchor at(long seq, String hash, String source, boolean authentic) {
        return new AuditAnchor(seq, hash, null, null, source, authentic);
    }

    /** An anchor of one record, named before it had a place in the chain. */
    public static AuditAnchor of(
            UUID recordId, String contentHash, String source, boolean authentic) {
        return new AuditAnchor(0, null, recordId, contentHash, source, authentic);
    }

    boolean namesARecord() {
        return recordId != null;
    }
}
