package io.lethe.device;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

interface DeviceRepository extends JpaRepository<Device, UUID>, JpaSpecificationExecutor<Device> {

    boolean existsByKindAndSerial(String kind, String serial);

    Optional<Device> findByKindAndSerial(String kind, String serial);

    long countByStatus(String status);
}
