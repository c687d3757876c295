package io.lethe.security;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ApiTokenRepository extends JpaRepository<ApiToken, UUID> {

    Optional<ApiToken> findBySecretHash(String secretHash);

    boolean existsByName(String name);

    List<ApiToken> findAllByOrderByCreatedAtAsc();

    List<ApiToken> findByBootstrapTrueAndRevokedAtIsNull();
}
