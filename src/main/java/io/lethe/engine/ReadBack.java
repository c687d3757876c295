package io.lethe.engine;

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

    /** Verify evidence taken where the region did not decode: no canary could be written. */
    public static final String EVIDENCE_REGION_DETACHED = "-";

    /**
     * Verify evidence taken where the region decodes but nothing maps it for the CPU (System RAM):
     * no canary either.
     */
    public static final String EVIDENCE_NO_CPU_VIEW = "no-cpu-view";

    private final String wire;

    /**
     * What verify could check with the evidence the precheck took (a canary's digest, or one of the
     * two markers above), as operations and certificates name it; null before the precheck.
     */
    public static ReadBack ofEvidence(String evidence) {
        if (evidence == null) {
            return null;
        }
        return switch (evidence) {
            case EVIDENCE_REGION_DETACHED -> NONE_REGION_DETACHED;
            case EVIDENCE_NO_CPU_VIEW -> NONE_NO_CPU_VIEW;
            default -> CANARY;
        };
    }

    ReadBack(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
