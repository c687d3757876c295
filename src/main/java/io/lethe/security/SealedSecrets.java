package io.lethe.security;

/**
 * A module that stores secrets sealed by {@link SecretCipher}. During a key rotation each one
 * re-seals, with the current key, whatever it holds sealed with a previous key.
 */
public interface SealedSecrets {

    /** Re-seals every value not sealed with the current key; returns how many it re-sealed. */
    int reseal(SecretCipher cipher);

    /** How many of the values held cannot be opened with the cipher's keys (checked at start). */
    long unreadable(SecretCipher cipher);
}
