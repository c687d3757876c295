package io.lethe.security;

import io.lethe.audit.AuditLog;
import io.lethe.common.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The bootstrap admin token, settled at every start so that exactly the configured one is valid:
 *
 * <ul>
 *   <li>{@code LETHE_BOOTSTRAP_TOKEN} set: its token is the one active bootstrap token. A new value
 *       replaces the previous bootstrap token; a value used before (A, then B, then A again) is
 *       reinstated and B revoked.
 *   <li>Not set: a token that came from the variable is revoked (removing the variable ends it).
 *       Where no active admin token is left, one is generated into {@code bootstrap-token-file},
 *       readable by its owner only, as at a first start.
 *   <li>A generated token that is revoked takes its file with it, so the file never holds a dead
 *       token.
 * </ul>
 *
 * Every change is audited as the system's.
 */
@Component
class BootstrapTokens implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapTokens.class);

    /** A bootstrap value shorter than this is refused: an admin token that may be typed by hand. */
    static final int MIN_LENGTH = 32;

    /** Nor may it be a long run of a few characters ({@code AAAA...}): guessable however long. */
    static final int MIN_DISTINCT = 8;

    private final ApiTokenRepository tokens;
    private final TokenService service;
    private final SecurityProperties properties;
    private final Clock clock;
    private final AuditLog audit;

    BootstrapTokens(
            ApiTokenRepository tokens,
            TokenService service,
            SecurityProperties properties,
            Clock clock,
            AuditLog audit) {
        this.tokens = tokens;
        this.service = service;
        this.properties = properties;
        this.clock = clock;
        this.audit = audit;
    }

    /** Why a configured bootstrap value is refused, or null; names the setting and a good value. */
    static String refusal(String value) {
        String v = value.strip();
        if (v.length() < MIN_LENGTH) {
            return "LETHE_BOOTSTRAP_TOKEN (lethe.security.bootstrap-token) is shorter than "
                    + MIN_LENGTH
                    + " characters; an admin token must not be guessable: use, say, "
                    + "openssl rand -base64 32";
        }
        if (v.chars().distinct().count() < MIN_DISTINCT) {
            return "LETHE_BOOTSTRAP_TOKEN (lethe.security.bootstrap-token) has fewer than "
                    + MIN_DISTINCT
                    + " different characters; an admin token must not be guessable: use, say, "
                    + "openssl rand -base64 32";
        }
        return null;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        String configured = properties.bootstrapToken();
        if (configured != null && !configured.isBlank()) {
            String refused = refusal(configured);
            if (refused != null) {
                throw new IllegalStateException(refused);
            }
            fromTheSetting(configured.strip());
            return;
        }
        Optional<String> generated = readFile();
        for (ApiToken token : tokens.findByBootstrapTrueAndRevokedAtIsNull()) {
            boolean fromTheFile =
                    generated.isPresent()
                            && TokenService.hash(generated.get()).equals(token.secretHash());
            if (!fromTheFile) {
                revoke(token, "the bootstrap setting was removed");
            }
        }
        boolean anAdminLeft =
                tokens.findByRevokedAtIsNullOrderByIdAsc().stream()
                        .anyMatch(t -> t.roles().contains(Role.ADMIN));
        if (!anAdminLeft) {
            generate();
        }
    }

    private void fromTheSetting(String configured) {
        String hash = TokenService.hash(configured);
        Optional<ApiToken> known = tokens.findBySecretHash(hash);
        for (ApiToken previous : tokens.findByBootstrapTrueAndRevokedAtIsNull()) {
            if (!previous.secretHash().equals(hash)) {
                revoke(previous, "the bootstrap setting changed");
            }
        }
        if (known.isPresent()) {
            ApiToken token = known.get();
            if (!token.active()) {
                token.reinstate();
                audited(
                        "token-reinstated",
                        token,
                        "reinstated: the bootstrap setting names it again");
            }
            return;
        }
        ApiToken token = save(hash);
        audited("token-created", token, "registered from the bootstrap setting with roles [admin]");
        log.info("Registered the bootstrap admin token from the bootstrap setting");
    }

    private void revoke(ApiToken token, String why) {
        token.revoke(clock.instant());
        audited("token-revoked", token, "revoked: " + why);
        Optional<String> generated = readFile();
        if (generated.isPresent()
                && TokenService.hash(generated.get()).equals(token.secretHash())) {
            deleteFile();
        }
    }

    private void generate() {
        String secret = service.newSecret();
        Path file = file();
        writeOwnerOnly(file, secret);
        ApiToken generated = save(TokenService.hash(secret));
        audited(
                "token-created",
                generated,
                "generated with roles [admin]: no active admin token was left");
        log.info(
                "Generated an admin token; it is in {} (readable by its owner only)",
                file.toAbsolutePath());
    }

    /**
     * An audit record, the system's, of what happened to a bootstrap token: names, never secrets.
     */
    private void audited(String action, ApiToken token, String what) {
        audit.recordAdmin(
                Actors.SYSTEM,
                action,
                null,
                null,
                "bootstrap token " + token.name() + " (" + token.id() + ") " + what);
    }

    /** A new bootstrap admin token with this secret hash. */
    private ApiToken save(String hash) {
        return tokens.save(
                new ApiToken(
                                Ids.newId(),
                                uniqueName("bootstrap"),
                                List.of(Role.ADMIN),
                                hash,
                                clock.instant())
                        .asBootstrap());
    }

    private String uniqueName(String base) {
        String name = base;
        for (int i = 2; tokens.existsByName(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    private Path file() {
        return Path.of(
                properties.bootstrapTokenFile() == null
                        ? "./data/bootstrap-token"
                        : properties.bootstrapTokenFile());
    }

    private Optional<String> readFile() {
        Path file = file();
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(Files.readString(file).strip())
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bootstrap token file " + file, e);
        }
    }

    private void deleteFile() {
        try {
            Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the bootstrap token file " + file(), e);
        }
    }

    private static void writeOwnerOnly(Path file, String secret) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.deleteIfExists(file);
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap token file " + file, e);
        }
    }
}
