package io.lethe.audit;

/**
 * A point of the audit chain that something kept apart from the chain vouches for: a signed
 * checkpoint of the chain's head, or the record a certificate names. Verification holds the chain
 * against every anchor, so cutting records off the end or rewriting a record and every hash after
 * it shows, as long as an anchor names a record at or after the change.
 *
 * @param seq the record's place in the chain
 * @param hash the record's hash as the anchor states it
 * @param source what the anchor is, for the report ("checkpoint 12", "certificate of operation
 *     ...")
 * @param authentic whether the anchor's own signature holds (an anchor that fails it is itself a
 *     break)
 */
public record AuditAnchor(long seq, String hash, String source, boolean authentic) {}
