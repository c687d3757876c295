package io.lethe.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Checks made before the service takes its first request (after the beans are built, before the web
 * server opens), each of which stops the start with a message that says what to do:
 *
 * <ul>
 *   <li>The data directory is made owner-only (0700), and the files in it 0600: it holds the
 *       embedded database and, unless given from outside, the secrets key.
 *   <li>On any database other than the embedded H2 (decided by the datasource's URL, whatever the
 *       profile), the secrets key must come from outside the data directory: a key file beside the
 *       database would be copied with every backup of it.
 *   <li>Every sealed value in the database must open with the configured keys: a lost or wrong key
 *       otherwise shows only later, as failed operations.
 *   <li>An H2 URL must carry the settings the schema and queries are written for ({@value
 *       #H2_SETTINGS}): without them H2 starts, and every step then fails on SQL grammar.
 * </ul>
 */
@Component
class StartupChecks implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);
    static final String H2_SETTINGS =
            "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    private final JdbcTemplate jdbc;
    private final SecretsProperties secrets;
    private final SecretCipher cipher;
    private final List<SealedSecrets> sealed;
    private final Path dataDir;
    private final String configuredUrl;

    StartupChecks(
            JdbcTemplate jdbc,
            SecretsProperties secrets,
            SecretCipher cipher,
            List<SealedSecrets> sealed,
            @Value("${lethe.data-dir:./data}") String dataDir,
            @Value("${spring.datasource.url:}") String configuredUrl) {
        this.configuredUrl = configuredUrl;
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.cipher = cipher;
        this.sealed = sealed;
        this.dataDir = Path.of(dataDir).toAbsolutePath().normalize();
    }

    @Override
    public void afterSingletonsInstantiated() {
        ownerOnly();
        if (configuredUrl.startsWith("jdbc:h2:")) {
            String upper = configuredUrl.toUpperCase(Locale.ROOT).replace(" ", "");
            List<String> missing =
                    Arrays.stream(H2_SETTINGS.split(";"))
                            .filter(setting -> !upper.contains(setting.toUpperCase(Locale.ROOT)))
                            .toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException(
                        "The H2 URL lacks "
                                + String.join(";", missing)
                                + ": Lethe's schema and "
                                + "queries need "
                                + H2_SETTINGS
                                + " (append them to spring.datasource.url, e.g. "
                                + "jdbc:h2:file:/data/lethe;"
                                + H2_SETTINGS
                                + ")");
            }
        }
        String url = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getURL());
        if (url != null && !embeddedH2(url) && !keyFromOutside()) {
            throw new IllegalStateException(
                    "Lethe runs on "
                            + url.replaceAll("[?;].*", "")
                            + ", not an embedded H2, and "
                            + "its secrets key would be a file in the data directory ("
                            + dataDir
                            + "). Give the key from outside: "
                            + "LETHE_SECRETS_KEY (base64 of 32 bytes, e.g. from a secret store), or lethe.secrets.key-file outside "
                            + "the data directory.");
        }
        SealedSecrets.Readability readability =
                sealed.stream()
                        .map(s -> s.readability(cipher))
                        .reduce(
                                new SealedSecrets.Readability(0, 0),
                                SealedSecrets.Readability::plus);
        if (readability.keyMissing() > 0) {
            throw new IllegalStateException(
                    readability.keyMissing()
                            + " sealed value(s) in the database cannot be opened with the "
                            + "configured secrets key (key id "
                            + cipher.keyId()
                            + "). Start with the key that sealed them, in "
                            + "LETHE_SECRETS_KEY, or with it in LETHE_SECRETS_PREVIOUS_KEYS during a rotation.");
        }
        if (readability.notTheirOwners() > 0) {
            // Moved or altered in the database: each owner refuses its value (a host its agent,
            // until the agent is registered again), so the rest of the service can still start.
            log.warn(
                    "{} sealed value(s) in the database do not open for the row that holds them: they were moved"
                            + " or altered outside Lethe, and are not used",
                    readability.notTheirOwners());
        }
    }

    private boolean keyFromOutside() {
        if (secrets.key() != null && !secrets.key().isBlank()) {
            return true;
        }
        Path file =
                Path.of(secrets.keyFile() == null ? "./data/secrets.key" : secrets.keyFile())
                        .toAbsolutePath()
                        .normalize();
        return !file.startsWith(dataDir);
    }

    private static void restrict(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } else if (Files.isDirectory(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (NoSuchFileException gone) {
            // removed meanwhile (another test context, a temporary file of the database)
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + file + " owner-only", e);
        }
    }

    private void ownerOnly() {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            try (Stream<Path> files = Files.walk(dataDir, 2)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    restrict(file);
                }
            } catch (UncheckedIOException vanished) {
                // a file went away while the directory was walked: what is left was restricted
            }
        } catch (UnsupportedOperationException notPosix) {
            log.info(
                    "The data directory {} is on a file system without POSIX permissions; restrict it by other means",
                    dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot make the data directory " + dataDir + " owner-only", e);
        }
    }

    /**
     * Whether the URL names an H2 database inside this process (a file or memory). {@code
     * jdbc:h2:tcp:} and {@code jdbc:h2:ssl:} reach an H2 server elsewhere: a database like any
     * other, whose backups must not carry the key.
     */
    static boolean embeddedH2(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:h2:")
                && !lower.startsWith("jdbc:h2:tcp:")
                && !lower.startsWith("jdbc:h2:ssl:");
    }
}
