package io.lethe.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/** The names of workflow steps: part of the public contract (README, "How an operation runs"). */
public enum StepName implements WireEnum {
    PRECHECK("precheck"),
    DETACH_REGION("detach-region"),
    ERASE("erase"),
    UNLOCK("unlock"),
    INVALIDATE_CACHE("invalidate-cache"),
    REATTACH_REGION("reattach-region"),
    ATTACH_REGION("attach-region"),
    VERIFY("verify"),
    RETIRE("retire");

    private final String wire;

    StepName(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static StepName fromJson(String wire) {
        return WireEnum.require(StepName.class, wire);
    }
}
