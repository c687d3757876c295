package io.lethe.security;

import io.lethe.audit.AuditLog;
import io.lethe.common.Ids;
import io.lethe.common.LetheProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens: created with a random 256-bit secret shown once, stored as its SHA-256 (the secret's
 * entropy makes a slow hash unnecessary), listed without secrets, revoked by admins. The first
 * admin token is {@link BootstrapTokens}'s.
 */
@Service
public class TokenService {

    static final String PREFIX = "lethe_";
    private static final Logger log = LoggerFactory.getLogger(TokenService.class);
    private final SecureRandom random = new SecureRandom();
    private final ApiTokenRepository tokens;
    private final SecurityProperties properties;
    private final Clock clock;

    private final AuditLog audit;

    TokenService(
            ApiTokenRepository tokens, SecurityProperties properties, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.tokens = tokens;
        this.properties = properties;
        this.clock = clock;
    }

    /** Who a bearer secret belongs to, if it is a live token. */
    record Principal(UUID id, String name, List<Role> roles) {}

    @Transactional(readOnly = true)
    Optional<Principal> authenticate(String secret) {
        return tokens.findBySecretHash(hash(secret))
                .filter(ApiToken::active)
                .map(t -> new Principal(t.id(), t.name(), t.roles()));
    }

    @Transactional
    TokenView create(String name, List<Role> roles) {
        if (tokens.existsByName(name) || Actors.SYSTEM.equalsIgnoreCase(name.strip())) {
            // The system's own name in the audit: a token named so would pass for it.
            throw new TokenNameTaken(name);
        }
        String secret = newSecret();
        ApiToken token = new ApiToken(Ids.newId(), name, roles, hash(secret), clock.instant());
        try {
            tokens.saveAndFlush(token);
        } catch (DataIntegrityViolationException raced) {
            throw new TokenNameTaken(name);
        }
        TokenView view = token.view();
        audit.recordAdmin(
                Actors.current(),
                "token-created",
                null,
                null,
                "token "
                        + name
                        + " ("
                        + view.id()
                        + ") created with roles "
                        + roles.stream().map(Role::wire).sorted().toList());
        return new TokenView(view.id(), view.name(), view.roles(), view.createdAt(), null, secret);
    }

    @Transactional(readOnly = true)
    List<TokenView> list() {
        return tokens.findAllByOrderByCreatedAtAsc().stream().map(ApiToken::view).toList();
    }

    @Transactional
    TokenView revoke(String id) {
        ApiToken token =
                Ids.parse(id).flatMap(tokens::findById).orElseThrow(() -> new TokenNotFound(id));
        if (token.active()) {
            if (token.roles().contains(Role.ADMIN)
                    && tokens.findByRevokedAtIsNullOrderByIdAsc().stream()
                            .noneMatch(
                                    t ->
                                            !t.id().equals(token.id())
                                                    && t.roles().contains(Role.ADMIN))) {
                throw new LastAdminToken(token.name());
            }
            token.revoke(clock.instant());
            audit.recordAdmin(
                    Actors.current(),
                    "token-revoked",
                    null,
                    null,
                    "token " + token.name() + " (" + token.id() + ") revoked");
        }
        return token.view();
    }

    /** A new token secret: the prefix and 256 random bits. */
    String newSecret() {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class TokenNameTaken extends LetheProblem.Conflict {
        TokenNameTaken(String name) {
            super("Token name taken", "A token named '" + name + "' exists already");
        }
    }

    /** Code {@code last-admin-token}. */
    static final class LastAdminToken extends LetheProblem.Conflict {
        LastAdminToken(String name) {
            super(
                    "Last admin token",
                    "Token '"
                            + name
                            + "' is the last active admin token: revoking it would lock every"
                            + " administrator out. Create another admin token first (POST /api/v1/tokens"
                            + " with roles [\"admin\"]), then revoke this one.");
        }
    }

    static final class TokenNotFound extends LetheProblem.NotFound {
        TokenNotFound(String id) {
            super("Token", id);
        }
    }
}
