package io.lethe.audit;

/** Audit tampering detected on the embedded default database. */
class AuditChainH2Test extends AuditChainContract {}
