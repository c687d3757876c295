package io.lethe.common;

import java.util.HashMap;
import java.util.Map;

/**
 * Each wire enum's constants by their wire string, built once per type: rows are read by the
 * thousand in a fleet batch, and a scan of {@code getEnumConstants()} copies the constants each
 * time.
 */
final class WireLookup {

    static final ClassValue<Map<String, Object>> BY_WIRE =
            new ClassValue<>() {
                @Override
                protected Map<String, Object> computeValue(Class<?> type) {
                    Map<String, Object> byWire = new HashMap<>();
                    for (Object constant : type.getEnumConstants()) {
                        byWire.put(((WireEnum) constant).wire(), constant);
                    }
                    return Map.copyOf(byWire);
                }
            };

    private WireLookup() {}
}
