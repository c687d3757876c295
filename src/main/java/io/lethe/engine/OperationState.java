package io.lethe.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The state of an operation. */
public enum OperationState implements WireEnum {
    QUEUED("queued"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String wire;

    OperationState(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /**
     * The states of an operation that has not ended: it holds its device, and an erase slot once
     * admitted. Queries name states through this set and bound parameters, never as literals.
     */
    public static final Set<OperationState> ACTIVE =
            Collections.unmodifiableSet(EnumSet.of(QUEUED, RUNNING));

    /** Whether the operation is over: succeeded, failed or cancelled. */
    public boolean isTerminal() {
        return !ACTIVE.contains(this);
    }
}
