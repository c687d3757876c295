package io.lethe.device;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/** The security state of a device, mirroring the kernel and the CXL Get Security State bits. */
public enum SecurityState implements WireEnum {
    DISABLED("disabled"),
    UNLOCKED("unlocked"),
    LOCKED("locked"),
    FROZEN("frozen"),
    PASSPHRASE_LIMIT("passphrase-limit"),
    SANITIZING("sanitizing");

    private final String wire;

    SecurityState(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
