package io.lethe.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/** The state of one step of an operation. */
public enum StepState implements WireEnum {
    PENDING("pending"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    SKIPPED("skipped");

    private final String wire;

    StepState(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
