package io.lethe.security;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface ApiTokenRepository extends JpaRepository<ApiToken, UUID> {

    Optional<ApiToken> findBySecretHash(String secretHash);

    boolean existsByName(String name);

    /** The active tokens' hashes, in one query. */
    @Query("select t.secretHash from ApiToken t where t.revokedAt is null")
    Set<String> activeSecretHashes();

    List<ApiToken> findAllByOrderByCreatedAtAsc();

    List<ApiToken> findByBootstrapTrueAndRevokedAtIsNull();

    /** Every active token, locked: two revocations of the last two admin tokens serialize. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    List<ApiToken> findByRevokedAtIsNullOrderByIdAsc();
}
