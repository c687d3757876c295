package io.lethe.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the secrets key comes from: the configuration, or a file made owner-only on first start.
 */
final class SecretsKeyFile {

    private static final Logger log = LoggerFactory.getLogger(SecretsKeyFile.class);

    private SecretsKeyFile() {}

    static byte[] load(SecretsProperties properties) {
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

    static byte[] checkLength(byte[] key) {
        if (key.length != 32) {
            throw new IllegalStateException(
                    "lethe.secrets.key must be 32 bytes (base64), was " + key.length);
        }
        return key;
    }
}
