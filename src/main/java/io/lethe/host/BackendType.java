package io.lethe.host;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/** How Lethe reaches a host's hardware. */
public enum BackendType implements WireEnum {
    SIMULATED_X86("simulated-x86"),
    HOST_AGENT("host-agent");

    private final String wire;

    BackendType(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
