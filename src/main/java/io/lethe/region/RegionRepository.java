package io.lethe.region;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface RegionRepository extends JpaRepository<Region, UUID> {

    List<Region> findByHostId(UUID hostId);

    @Query("select r from Region r join r.deviceIds d where d = :deviceId")
    Optional<Region> findByMember(UUID deviceId);
}
