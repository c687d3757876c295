package io.lethe.batch;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;
import io.lethe.engine.OperationState;
import java.util.Map;

/**
 * A batch's state, derived from its operations: {@code running} while any is queued or running;
 * then {@code succeeded} when all succeeded, {@code cancelled} when all were cancelled, {@code
 * failed} when none succeeded, {@code partially-succeeded} otherwise.
 */
public enum BatchState implements WireEnum {
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    CANCELLED("cancelled"),
    FAILED("failed"),
    PARTIALLY_SUCCEEDED("partially-succeeded");

    private final String wire;

    BatchState(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The state of a batch with these counts of operations per state. */
    static BatchState of(long open, long succeeded, long cancelled, long total) {
        return open > 0
                ? RUNNING
                : succeeded == total
                        ? SUCCEEDED
                        : cancelled == total
                                ? CANCELLED
                                : succeeded == 0 ? FAILED : PARTIALLY_SUCCEEDED;
    }

    /** The state of a batch whose operations are counted by state (every state present). */
    static BatchState of(Map<OperationState, Long> byState) {
        long total = byState.values().stream().mapToLong(Long::longValue).sum();
        long open = OperationState.ACTIVE.stream().mapToLong(byState::get).sum();
        return of(
                open,
                byState.get(OperationState.SUCCEEDED),
                byState.get(OperationState.CANCELLED),
                total);
    }
}
