package io.lethe.operation;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/**
 * What {@code verify} could read back to check an erase: the pre-erase canary, or nothing, and why.
 * Without a read-back the evidence is the device's own report that the erase completed, and the
 * operation and its certificate say so rather than claim a read-back.
 */
public enum ReadBack implements WireEnum {
    /** A canary written through the CPU's view before the erase was read back after it. */
    CANARY("canary"),
    /** The region did not decode before the erase: there was nowhere to write a canary. */
    NONE_REGION_DETACHED("none-region-detached"),
    /** The region decoded but nothing maps it for the CPU (the host uses it as System RAM). */
    NONE_NO_CPU_VIEW("none-no-cpu-view");

    private final String wire;

    ReadBack(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
