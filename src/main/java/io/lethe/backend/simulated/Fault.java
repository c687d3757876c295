package io.lethe.backend.simulated;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/** A fault the simulated backend injects into a step. */
enum Fault implements WireEnum {
    /** The step fails every time. */
    FAIL("fail"),
    /** The step fails on its first attempt only, so a retry succeeds. */
    FAIL_ONCE("fail-once"),
    /** The step never answers within its timeout. */
    TIMEOUT("timeout");

    private final String wire;

    Fault(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
