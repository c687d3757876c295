package io.lethe.security;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/**
 * What a token may do (README, "Access control and secret custody"). {@code admin} may do
 * everything.
 */
public enum Role implements WireEnum {
    /** Read inventory and operations. */
    VIEWER("viewer"),
    /** Start and cancel operations and batches; read like a viewer. */
    OPERATOR("operator"),
    /** Read the audit and certificates. */
    AUDITOR("auditor"),
    /** Everything: inventory changes, tokens, keys. */
    ADMIN("admin");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    String authority() {
        return "ROLE_" + name();
    }
}
