package io.lethe.host;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface HostRepository extends JpaRepository<Host, UUID> {

    boolean existsByName(String name);

    List<Host> findByIdGreaterThanOrderByIdAsc(UUID after, Limit limit);
}
