package io.lethe.region;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/** Whether a region's decoders are committed (the CPU can access it) or reset. */
public enum RegionState implements WireEnum {
    ATTACHED("attached"),
    DETACHED("detached");

    private final String wire;

    RegionState(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
