package io.lethe.batch;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;
import io.lethe.engine.OperationQueries;
import io.lethe.engine.OperationState;
import java.util.List;
import java.util.Set;

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

    /**
     * Appends the same rule as {@link #of} as an SQL condition on batch {@code b} over its
     * operations (asked of the engine), its parameters to {@code args}.
     */
    void appendCondition(StringBuilder sql, List<Object> args) {
        switch (this) {
            case RUNNING -> has(sql, args, true, OperationState.ACTIVE);
            case SUCCEEDED ->
                    has(sql.append("not "), args, false, Set.of(OperationState.SUCCEEDED));
            case CANCELLED ->
                    has(sql.append("not "), args, false, Set.of(OperationState.CANCELLED));
            case FAILED -> {
                has(sql.append("not "), args, true, OperationState.ACTIVE);
                has(sql.append(" and not "), args, true, Set.of(OperationState.SUCCEEDED));
                has(sql.append(" and "), args, false, Set.of(OperationState.CANCELLED));
            }
            case PARTIALLY_SUCCEEDED -> {
                has(sql.append("not "), args, true, OperationState.ACTIVE);
                has(sql.append(" and "), args, true, Set.of(OperationState.SUCCEEDED));
                has(sql.append(" and "), args, false, Set.of(OperationState.SUCCEEDED));
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Some operation of the batch is ({@code in}) or is not in one of the states. */
    private static void has(
            StringBuilder sql, List<Object> args, boolean in, Set<OperationState> states) {
        OperationQueries.Condition condition =
                OperationQueries.batchHasOperation("b.id", in, states);
        sql.append(condition.sql());
        args.addAll(condition.args());
    }
}
