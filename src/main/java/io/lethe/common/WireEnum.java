package io.lethe.common;

import java.util.Arrays;
import java.util.Optional;

/**
 * An enum whose constants travel as fixed lower-case strings ("cxl-memdev", "passphrase-limit"):
 * the same string in JSON, query parameters and the database.
 */
public interface WireEnum {

    String wire();

    static <E extends Enum<E> & WireEnum> Optional<E> fromWire(Class<E> type, String wire) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.wire().equals(wire)).findFirst();
    }

    static <E extends Enum<E> & WireEnum> E require(Class<E> type, String wire) {
        return fromWire(type, wire).orElseThrow(() -> new IllegalArgumentException(
                "'" + wire + "' is not one of " + Arrays.stream(type.getEnumConstants()).map(WireEnum::wire).toList()));
    }
}
