package io.lethe.engine;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a step writes what it recorded for its operation: the operation's ledger (a typed document
 * beside the operation, see {@link Ledger}), never its state, which only the engine moves. Handed
 * to a step's {@link StepHandler.Effects} inside the transaction that records the step's result.
 */
public final class StepRecords {

    private final Operation operation;

    StepRecords(Operation operation) {
        this.operation = operation;
    }

    public UUID operationId() {
        return operation.id();
    }

    /**
     * The end of the erase or unlock was recorded with this host order number ({@code at}: shown
     * only).
     */
    public void mediaChange(long seq, Instant at) {
        operation.record(ledger -> ledger.mediaChange(seq, at));
    }

    /**
     * Served by the host's invalidation numbered {@code seq}, reported to have started at {@code
     * startedAt}.
     */
    public void invalidation(long seq, Instant startedAt) {
        operation.record(ledger -> ledger.invalidation(seq, startedAt));
    }

    /** What verify will compare: the canary written before the erase, or why there is none. */
    public void verifyEvidence(String evidence) {
        operation.record(ledger -> ledger.verifyEvidence(evidence));
    }
}
