package io.lethe.region;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

interface RegionRepository extends JpaRepository<Region, UUID>, JpaSpecificationExecutor<Region> {

    List<Region> findByHostId(UUID hostId);

    List<Region> findByHostIdIn(Collection<UUID> hostIds);

    @Query("select r from Region r join r.members m where m.deviceId = :deviceId")
    Optional<Region> findByMember(UUID deviceId);

    @Query("select r.id from Region r where r.hostId = :hostId order by r.id")
    List<UUID> findIdsByHostId(UUID hostId);
}
