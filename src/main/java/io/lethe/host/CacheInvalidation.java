package io.lethe.host;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/**
 * Whether a host can invalidate its CPU caches for a memory region. A virtualized host cannot (the
 * kernel answers -ENXIO), so Lethe refuses to erase or unlock devices there.
 */
public enum CacheInvalidation implements WireEnum {
    SUPPORTED("supported"),
    UNSUPPORTED("unsupported");

    private final String wire;

    CacheInvalidation(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
