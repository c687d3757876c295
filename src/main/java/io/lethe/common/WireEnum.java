package io.lethe.common;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An enum whose constants travel as fixed lower-case strings ("cxl-memdev", "passphrase-limit"):
 * the same string in JSON, query parameters and the database.
 */
public interface WireEnum {

    String wire();

    static <E extends Enum<E> & WireEnum> Optional<E> fromWire(Class<E> type, String wire) {
        return wire == null
                ? Optional.empty()
                : Optional.ofNullable(type.cast(WireLookup.BY_WIRE.get(type).get(wire)));
    }

    /**
     * {@code ?, ?, ?}: one SQL parameter per value, for {@code in (...)} bound to {@link #wires}.
     */
    static String parameters(Collection<? extends WireEnum> values) {
        return String.join(", ", Collections.nCopies(values.size(), "?"));
    }

    /** The values' wire strings, in iteration order: the parameters of {@link #parameters}. */
    static List<String> wires(Collection<? extends WireEnum> values) {
        return values.stream().map(WireEnum::wire).toList();
    }

    static <E extends Enum<E> & WireEnum> E require(Class<E> type, String wire) {
        return fromWire(type, wire)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "'"
                                                + wire
                                                + "' is not one of "
                                                + Arrays.stream(type.getEnumConstants())
                                                        .map(WireEnum::wire)
                                                        .toList()));
    }
}
