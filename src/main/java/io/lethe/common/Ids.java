package io.lethe.common;

import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;

/**
 * Identifiers of Lethe resources: time-ordered UUIDs (version 7, RFC 9562), so that ordering by id
 * follows creation order and keyset pagination walks the primary key index.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The order databases sort UUIDs in (PostgreSQL and H2 compare their bytes unsigned), unlike
     * {@link UUID#compareTo}, which compares signed halves.
     */
    public static final Comparator<UUID> ORDER =
            Comparator.comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
                    .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

    private Ids() {}

    private static long lastMillis;
    private static int counter;

    /**
     * A new version-7 UUID: 48 bits of Unix milliseconds, a 12-bit counter, then random bits.
     * Within one JVM ids strictly increase (RFC 9562, 6.2 method 1), so records written in one
     * transaction keep their order; a counter that runs out borrows the next millisecond.
     */
    public static UUID newId() {
        long millis;
        int sequence;
        synchronized (Ids.class) {
            millis = Math.max(System.currentTimeMillis(), lastMillis);
            if (millis == lastMillis) {
                if (++counter > 0xFFF) {
                    millis++;
                    counter = RANDOM.nextInt(0x400);
                }
            } else {
                // Start low in the millisecond, leaving room to count up.
                counter = RANDOM.nextInt(0x400);
            }
            lastMillis = millis;
            sequence = counter;
        }
        long msb = (millis << 16) | 0x7000L | sequence;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** Parses an id from a path or body; anything that is not a UUID is simply no id of ours. */
    public static Optional<UUID> parse(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
