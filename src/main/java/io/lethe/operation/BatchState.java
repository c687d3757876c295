package io.lethe.operation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;
import java.util.List;

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
     * operations, its parameters to {@code args}.
     */
    void appendCondition(StringBuilder sql, List<Object> args) {
        switch (this) {
            case RUNNING -> open(sql, args);
            case SUCCEEDED -> state(sql.append("not "), args, "<>", OperationState.SUCCEEDED);
            case CANCELLED -> state(sql.append("not "), args, "<>", OperationState.CANCELLED);
            case FAILED -> {
                open(sql.append("not "), args);
                state(sql.append(" and not "), args, "=", OperationState.SUCCEEDED);
                state(sql.append(" and "), args, "<>", OperationState.CANCELLED);
            }
            case PARTIALLY_SUCCEEDED -> {
                open(sql.append("not "), args);
                state(sql.append(" and "), args, "=", OperationState.SUCCEEDED);
                state(sql.append(" and "), args, "<>", OperationState.SUCCEEDED);
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Some operation of the batch is still queued or running. */
    private static void open(StringBuilder sql, List<Object> args) {
        sql.append("exists (select 1 from operations o where o.batch_id = b.id and o.state in (")
                .append(WireEnum.parameters(OperationState.ACTIVE))
                .append("))");
        args.addAll(WireEnum.wires(OperationState.ACTIVE));
    }

    /** Some operation of the batch is in ({@code =}) or not in ({@code <>}) the state. */
    private static void state(
            StringBuilder sql, List<Object> args, String comparison, OperationState state) {
        sql.append("exists (select 1 from operations o where o.batch_id = b.id and o.state ")
                .append(comparison)
                .append(" ?)");
        args.add(state.wire());
    }
}
