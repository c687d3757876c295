package io.lethe.engine;

import io.lethe.audit.AuditRef;
import io.lethe.host.BackendType;

/**
 * Published, synchronously, inside the transaction that ends an operation, after its closing audit
 * record was appended: a listener's writes commit with the end or not at all, and a listener that
 * throws rolls the end back (the step is recorded again later).
 *
 * @param operation the operation as it ended
 * @param backend the backend fixed when it was requested (null for an attach-region operation)
 * @param simulated whether that backend only simulates hardware
 * @param closingRecord the audit record of the end, not yet chained
 */
public record OperationEnded(
        OperationView operation, BackendType backend, boolean simulated, AuditRef closingRecord) {}
