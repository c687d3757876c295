package io.lethe.host;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * How Lethe reaches a host's hardware: a backend's type, by its wire name. Each backend declares
 * its own ({@link BackendKind#type()}); the inventory and the engine keep and compare the value
 * without knowing which backends there are. The names are part of the public contract (host bodies,
 * stored operations, the {@code backend} label of {@code lethe_backend_errors_total}).
 */
public record BackendType(String wire) {

    private static final Pattern WIRE = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public BackendType {
        if (wire == null || !WIRE.matcher(wire).matches()) {
            throw new IllegalArgumentException("not a backend type: " + wire);
        }
    }

    @JsonCreator
    public static BackendType of(String wire) {
        return new BackendType(wire);
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
