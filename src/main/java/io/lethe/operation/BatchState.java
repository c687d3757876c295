package io.lethe.operation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/**
 * A batch's state, derived from its operations: {@code running} while any is queued or running;
 * then {@code succeeded} when all succeeded, {@code cancelled} when all were cancelled,
 * {@code failed} when none succeeded, {@code partially-succeeded} otherwise.
 */
public enum BatchState implements WireEnum {
    RUNNING("running"), SUCCEEDED("succeeded"), CANCELLED("cancelled"), FAILED("failed"),
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
        return open > 0 ? RUNNING
                : succeeded == total ? SUCCEEDED
                : cancelled == total ? CANCELLED
                : succeeded == 0 ? FAILED : PARTIALLY_SUCCEEDED;
    }

    /** The same rule as {@link #of}, as an SQL condition on batch {@code b} over its operations. */
    String sql() {
        String open = "exists (select 1 from operations o where o.batch_id = b.id and o.state in ('"
                + OperationState.QUEUED.wire() + "', '" + OperationState.RUNNING.wire() + "'))";
        String any = "exists (select 1 from operations o where o.batch_id = b.id and o.state = '%s')";
        String other = "exists (select 1 from operations o where o.batch_id = b.id and o.state <> '%s')";
        String succeeded = OperationState.SUCCEEDED.wire();
        String cancelled = OperationState.CANCELLED.wire();
        return switch (this) {
            case RUNNING -> open;
            case SUCCEEDED -> "not " + other.formatted(succeeded);
            case CANCELLED -> "not " + other.formatted(cancelled);
            case FAILED -> "not " + open + " and not " + any.formatted(succeeded) + " and " + other.formatted(cancelled);
            case PARTIALLY_SUCCEEDED -> "not " + open + " and " + any.formatted(succeeded) + " and " + other.formatted(succeeded);
        };
    }
}
