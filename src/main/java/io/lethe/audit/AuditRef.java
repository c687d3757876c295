package io.lethe.audit;

import java.util.UUID;

/**
 * Names one audit record independently of its place in the chain, which it gets only when sealed.
 *
 * @param recordId the record's id
 * @param contentHash {@link AuditChain#contentHash} of the record's canonical form
 */
public record AuditRef(UUID recordId, String contentHash) {}
