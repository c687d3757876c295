package io.lethe.security;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

interface ApiTokenRepository extends JpaRepository<ApiToken, UUID> {

    Optional<ApiToken> findBySecretHash(String secretHash);

    boolean existsByName(String name);

    List<ApiToken> findAllByOrderByCreatedAtAsc();

    List<ApiToken> findByBootstrapTrueAndRevokedAtIsNull();

    /** Every active token, locked: two revocations of the last two admin tokens serialize. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    List<ApiToken> findByRevokedAtIsNullOrderByIdAsc();
}
