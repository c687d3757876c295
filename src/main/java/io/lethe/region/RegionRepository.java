package io.lethe.region;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface RegionRepository extends JpaRepository<Region, UUID> {

    List<Region> findByHostId(UUID hostId);

    List<Region> findByHostIdIn(java.util.Collection<UUID> hostIds);

    @Query("select r from Region r join r.members m where m.deviceId = :deviceId")
    Optional<Region> findByMember(UUID deviceId);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select r from Region r where r.id = :id")
    Optional<Region> lock(UUID id);
}
