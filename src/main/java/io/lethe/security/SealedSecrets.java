package io.lethe.security;

/**
 * A module that stores secrets sealed by {@link SecretCipher}. During a key rotation each one
 * re-seals, with the current key, whatever it holds sealed with a previous key.
 */
public interface SealedSecrets {

    /**
     * Re-seals every value not sealed with the current key that opens for its owner; returns how
     * many it re-sealed. A value that does not open for its owner is left as it is.
     */
    int reseal(SecretCipher cipher);

    /** What start-up learns of the values held (see {@link Readability}). */
    Readability readability(SecretCipher cipher);

    /**
     * @param keyMissing values sealed with a key the cipher does not have: the configured key is
     *     wrong, and nothing should start
     * @param notTheirOwners values sealed with a configured key that do not open for the row that
     *     holds them: moved or altered outside Lethe; each owner refuses to use its value
     */
    record Readability(long keyMissing, long notTheirOwners) {
        public Readability plus(Readability other) {
            return new Readability(
                    keyMissing + other.keyMissing, notTheirOwners + other.notTheirOwners);
        }
    }
}
