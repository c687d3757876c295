package io.lethe.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * Encrypts secrets (agent tokens, passphrases, signing keys) for storage with AES-256-GCM. The
 * stored form is {@code v2:<key id>:} followed by base64 of a random 12-byte nonce and the
 * ciphertext with its tag, so no two encryptions of one secret look alike, tampering is detected on
 * decryption, and values sealed with a previous key are recognised during a key rotation.
 */
@Component
public class SecretCipher {

    private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);
    private static final String LEGACY = "v1:";
    private static final String PREFIX = "v2:";
    private static final int NONCE_BYTES = 12;
    private final SecureRandom random = new SecureRandom();
    private final SecretKey key;
    private final String keyId;

    /** Every key that may decrypt, by key id: the current one and the previous ones. */
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    SecretCipher(SecretsProperties properties) {
        this.key = new SecretKeySpec(loadKey(properties), "AES");
        this.keyId = keyId(key);
        keys.put(keyId, key);
        if (properties.previousKeys() != null) {
            for (String previous : properties.previousKeys().split(",")) {
                if (!previous.isBlank()) {
                    SecretKey old =
                            new SecretKeySpec(
                                    checkLength(Base64.getDecoder().decode(previous.trim())),
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

    public String encrypt(String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX
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
     * @throws SecretUnreadable when the value was sealed with another key or altered; the message
     *     never includes the value
     */
    public String decrypt(String stored) {
        if (stored != null && stored.startsWith(PREFIX)) {
            int colon = stored.indexOf(':', PREFIX.length());
            SecretKey sealedWith =
                    colon < 0 ? null : keys.get(stored.substring(PREFIX.length(), colon));
            if (sealedWith == null) {
                throw new SecretUnreadable();
            }
            return open(sealedWith, stored.substring(colon + 1));
        }
        if (stored != null && stored.startsWith(LEGACY)) {
            for (SecretKey candidate : keys.values()) {
                try {
                    return open(candidate, stored.substring(LEGACY.length()));
                } catch (SecretUnreadable wrongKey) {
                    // try the next key
                }
            }
        }
        throw new SecretUnreadable();
    }

    private static String open(SecretKey with, String body) {
        try {
            byte[] all = Base64.getDecoder().decode(body);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
            return new String(
                    cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretUnreadable();
        }
    }

    private static byte[] loadKey(SecretsProperties properties) {
        if (properties.key() != null && !properties.key().isBlank()) {
            return checkLength(Base64.getDecoder().decode(properties.key().trim()));
        }
        Path file =
                Path.of(properties.keyFile() == null ? "./data/secrets.key" : properties.keyFile());
        try {
            if (Files.notExists(file)) {
                createKeyFile(file);
            }
            return checkLength(Base64.getDecoder().decode(Files.readString(file).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets key file " + file, e);
        }
    }

    private static void createKeyFile(Path file) throws IOException {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try {
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            return;
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
        log.info("Generated the key that encrypts secrets at rest in {}", file.toAbsolutePath());
    }

    private static byte[] checkLength(byte[] key) {
        if (key.length != 32) {
            throw new IllegalStateException(
                    "lethe.secrets.key must be 32 bytes (base64), was " + key.length);
        }
        return key;
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
