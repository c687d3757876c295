package io.lethe.operation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/** The state of an operation. */
public enum OperationState implements WireEnum {
    QUEUED("queued"), RUNNING("running"), SUCCEEDED("succeeded"), FAILED("failed"), CANCELLED("cancelled");

    private final String wire;

    OperationState(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Whether the operation is over: succeeded, failed or cancelled. */
    public boolean ended() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
