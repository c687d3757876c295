package io.lethe.common;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

/**
 * Identifiers of Lethe resources: time-ordered UUIDs (version 7, RFC 9562), so that ordering by id
 * follows creation order and keyset pagination walks the primary key index.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** A new version-7 UUID: 48 bits of Unix milliseconds, then random bits. */
    public static UUID newId() {
        long millis = System.currentTimeMillis();
        long msb = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
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
