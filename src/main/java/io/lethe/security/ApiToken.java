package io.lethe.security;

import io.lethe.common.WireEnum;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An API token: its name, roles and the SHA-256 of its secret. The secret itself is never stored.
 */
@Entity
@Table(name = "api_tokens")
class ApiToken {

    @Id private UUID id;
    private String name;
    private String roles;

    @Column(name = "secret_hash")
    private String secretHash;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    /**
     * Came from the bootstrap setting or was generated at first start: a new bootstrap value
     * revokes it.
     */
    private boolean bootstrap;

    protected ApiToken() {}

    ApiToken(UUID id, String name, List<Role> roles, String secretHash, Instant now) {
        this.id = id;
        this.name = name;
        this.roles = roles.stream().map(Role::wire).sorted().collect(Collectors.joining(","));
        this.secretHash = secretHash;
        this.createdAt = now;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    List<Role> roles() {
        return Arrays.stream(roles.split(",")).map(r -> WireEnum.require(Role.class, r)).toList();
    }

    ApiToken asBootstrap() {
        this.bootstrap = true;
        return this;
    }

    boolean bootstrap() {
        return bootstrap;
    }

    boolean active() {
        return revokedAt == null;
    }

    /** The bootstrap setting names this token again: it is valid again. */
    void reinstate() {
        revokedAt = null;
    }

    String secretHash() {
        return secretHash;
    }

    void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    TokenView view() {
        return new TokenView(id, name, roles(), createdAt, revokedAt);
    }
}
