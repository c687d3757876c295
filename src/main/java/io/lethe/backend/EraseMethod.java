package io.lethe.backend;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;
import io.lethe.device.DeviceKind;

/** How a device is erased. Every method is NIST SP 800-88 Purge. */
public enum EraseMethod implements WireEnum {
    /** CXL Sanitize (0x4400): all user data and metadata; refused while a passphrase is set. */
    SANITIZE("sanitize", "sanitize", false),
    /** CXL Secure Erase (0x4401): crypto erase by changing the media encryption keys. */
    SECURE_ERASE("secure-erase", "crypto erase", false),
    /**
     * CXL Passphrase Secure Erase (0x4505) or nvdimm {@code erase <keyid>}: needs the passphrase.
     */
    PASSPHRASE_ERASE("passphrase-erase", "passphrase erase", true),
    /** nvdimm {@code overwrite}: can take tens of minutes. */
    OVERWRITE("overwrite", "overwrite", false);

    private final String wire;
    private final String description;
    private final boolean needsPassphrase;

    EraseMethod(String wire, String description, boolean needsPassphrase) {
        this.wire = wire;
        this.description = description;
        this.needsPassphrase = needsPassphrase;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The method's name in a certificate of sanitization. */
    public String description() {
        return description;
    }

    public boolean needsPassphrase() {
        return needsPassphrase;
    }

    /**
     * CXL commands for memdevs, nvdimm security commands for NVDIMMs; passphrase erase exists on
     * both.
     */
    public boolean supports(DeviceKind kind) {
        return switch (this) {
            case SANITIZE, SECURE_ERASE -> kind == DeviceKind.CXL_MEMDEV;
            case OVERWRITE -> kind == DeviceKind.NVDIMM;
            case PASSPHRASE_ERASE -> true;
        };
    }
}
