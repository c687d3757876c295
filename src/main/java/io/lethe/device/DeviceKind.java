package io.lethe.device;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/** A memory device type. */
public enum DeviceKind implements WireEnum {
    CXL_MEMDEV("cxl-memdev"),
    NVDIMM("nvdimm");

    private final String wire;

    DeviceKind(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
