package io.lethe.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets (agent tokens, passphrases, signing keys) for storage with AES-256-GCM, bound to
 * their owner ({@link SealedFor}, as associated data). The stored form is {@code v3:<key id>:}
 * followed by base64 of a random 12-byte nonce and the ciphertext with its tag, so no two
 * encryptions of one secret look alike, tampering or a move to another owner is detected on
 * opening, and values sealed with a previous key are recognised during a key rotation. Formats
 * {@code v1} and {@code v2} bound nothing; the migration {@code V20} re-sealed them.
 */
@Component
public class SecretCipher {

    private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);
    private static final String LEGACY = "v1:";
    private static final String UNBOUND = "v2:";
    private static final String PREFIX = "v3:";
    private static final int NONCE_BYTES = 12;
    private final SecureRandom random = new SecureRandom();
    private final SecretKey key;
    private final String keyId;

    /** Every key that may decrypt, by key id: the current one and the previous ones. */
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    SecretCipher(SecretsProperties properties) {
        this.key = new SecretKeySpec(SecretsKeyFile.load(properties), "AES");
        this.keyId = keyId(key);
        keys.put(keyId, key);
        if (properties.previousKeys() != null) {
            for (String previous : properties.previousKeys().split(",")) {
                if (!previous.isBlank()) {
                    SecretKey old =
                            new SecretKeySpec(
                                    SecretsKeyFile.checkLength(
                                            Base64.getDecoder().decode(previous.trim())),
                                    "AES");
                    keys.putIfAbsent(keyId(old), old);
                }
            }
        }
    }

    /**
     * Whether a stored value is sealed with the current key (else re-encryption should re-seal it).
     */
    public boolean sealedWithCurrentKey(String stored) {
        return stored != null && stored.startsWith(PREFIX + keyId + ":");
    }

    /** The id of the current key, as sealed values name it (not secret). */
    String keyId() {
        return keyId;
    }

    private static String keyId(SecretKey key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A keyed digest (HMAC-SHA256 under a key derived from the secrets key) for comparing requests
     * that contain secrets without storing anything a guess could be checked against offline.
     */
    public String mac(String text) {
        try {
            byte[] macKey =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    ByteBuffer.allocate(4 + key.getEncoded().length)
                                            .put("mac:".getBytes(StandardCharsets.US_ASCII))
                                            .put(key.getEncoded())
                                            .array());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot compute a MAC: " + e.getClass().getSimpleName());
        }
    }

    /** Seals a secret for its owner with the current key, in the current format ({@code v3}). */
    public String seal(String secret, SealedFor owner) {
        return seal(PREFIX, secret, owner.associatedData());
    }

    private String seal(String format, String secret, byte[] associatedData) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            if (associatedData != null) {
                cipher.updateAAD(associatedData);
            }
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return format
                    + keyId
                    + ":"
                    + Base64.getEncoder()
                            .encodeToString(
                                    ByteBuffer.allocate(nonce.length + sealed.length)
                                            .put(nonce)
                                            .put(sealed)
                                            .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot encrypt a secret: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Opens a value sealed for this owner. Values of the formats before {@code v3}, which bound
     * nothing, are refused: the migration that bound them ran at upgrade, so one found now was put
     * there from outside.
     *
     * @throws SecretUnreadable when sealed with a key not configured, for another owner, or
     *     altered; the message never includes the value
     */
    public String open(String stored, SealedFor owner) {
        if (stored != null && stored.startsWith(PREFIX)) {
            int colon = stored.indexOf(':', PREFIX.length());
            SecretKey sealedWith =
                    colon < 0 ? null : keys.get(stored.substring(PREFIX.length(), colon));
            if (sealedWith != null) {
                return open(sealedWith, stored.substring(colon + 1), owner.associatedData());
            }
        }
        throw new SecretUnreadable();
    }

    /**
     * Whether the value names a key this cipher has. A value that does but does not open was moved
     * or altered outside Lethe; one that does not points at a missing key (a configuration error).
     */
    public boolean keyKnown(String stored) {
        if (stored != null && stored.startsWith(PREFIX)) {
            int colon = stored.indexOf(':', PREFIX.length());
            return colon > 0 && keys.containsKey(stored.substring(PREFIX.length(), colon));
        }
        return false;
    }

    /** Whether the value is in a format before {@code v3} (bound to nothing). */
    static boolean unbound(String stored) {
        return stored != null && (stored.startsWith(LEGACY) || stored.startsWith(UNBOUND));
    }

    /**
     * Opens a value of a format before {@code v3}, for the migration that binds them only.
     *
     * @throws SecretUnreadable as {@link #open(String, SealedFor)}
     */
    String openUnbound(String stored) {
        if (stored != null && stored.startsWith(UNBOUND)) {
            int colon = stored.indexOf(':', UNBOUND.length());
            SecretKey sealedWith =
                    colon < 0 ? null : keys.get(stored.substring(UNBOUND.length(), colon));
            if (sealedWith == null) {
                throw new SecretUnreadable();
            }
            return open(sealedWith, stored.substring(colon + 1), null);
        }
        if (stored != null && stored.startsWith(LEGACY)) {
            for (SecretKey candidate : keys.values()) {
                try {
                    return open(candidate, stored.substring(LEGACY.length()), null);
                } catch (SecretUnreadable wrongKey) {
                    // try the next key
                }
            }
        }
        throw new SecretUnreadable();
    }

    /** A value in the {@code v2} format (no associated data), as values were sealed before. */
    String sealUnbound(String secret) {
        return seal(UNBOUND, secret, null);
    }

    private static String open(SecretKey with, String body, byte[] associatedData) {
        try {
            byte[] all = Base64.getDecoder().decode(body);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
            if (associatedData != null) {
                cipher.updateAAD(associatedData);
            }
            return new String(
                    cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretUnreadable();
        }
    }

    /**
     * A stored secret cannot be decrypted with the current key (lost, rotated or tampered with).
     */
    public static final class SecretUnreadable extends RuntimeException {
        SecretUnreadable() {
            super("a stored secret cannot be decrypted with the current key", null, false, false);
        }
    }
}
