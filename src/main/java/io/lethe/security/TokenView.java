package io.lethe.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A token as listed: never its secret. {@code secret} is set only in the answer that creates it.
 */
@Schema(name = "Token")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(
        UUID id,
        String name,
        List<Role> roles,
        Instant createdAt,
        Instant revokedAt,
        @Schema(description = "The bearer secret, shown once at creation") String secret) {

    TokenView(UUID id, String name, List<Role> roles, Instant createdAt, Instant revokedAt) {
        this(id, name, roles, createdAt, revokedAt, null);
    }

    @Override
    public String toString() {
        return "TokenView[id=" + id + ", name=" + name + ", roles=" + roles + "]";
    }
}
