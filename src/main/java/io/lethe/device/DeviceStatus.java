package io.lethe.device;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/** Lethe's lifecycle of a device; at most one operation holds a device while it is busy. */
public enum DeviceStatus implements WireEnum {
    AVAILABLE("available"),
    BUSY("busy"),
    QUARANTINED("quarantined"),
    DECOMMISSIONED("decommissioned");

    private final String wire;

    DeviceStatus(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
