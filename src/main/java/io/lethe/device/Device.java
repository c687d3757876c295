package io.lethe.device;

import io.lethe.common.WireEnum;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A memory device on a host. Enum fields are kept as their wire strings, the same in every database. */
@Entity
@Table(name = "devices")
class Device {

    @Id
    private UUID id;
    @Column(name = "host_id")
    private UUID hostId;
    private String kind;
    private String serial;
    private String manufacturer;
    private String model;
    @Column(name = "firmware_version")
    private String firmwareVersion;
    @Column(name = "capacity_bytes")
    private long capacityBytes;
    @Column(name = "security_state")
    private String securityState;
    private String status;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Version
    private long version;

    protected Device() {
    }

    Device(UUID id, UUID hostId, RegisterDeviceRequest request, Instant now) {
        this.id = id;
        this.hostId = hostId;
        this.kind = request.kind().wire();
        this.serial = request.serial();
        this.manufacturer = request.manufacturer();
        this.model = request.model();
        this.firmwareVersion = request.firmwareVersion();
        this.capacityBytes = request.capacityBytes();
        this.securityState = (request.securityState() == null ? SecurityState.DISABLED : request.securityState()).wire();
        this.status = DeviceStatus.AVAILABLE.wire();
        this.createdAt = now;
        this.updatedAt = now;
    }

    DeviceView view() {
        return new DeviceView(id, hostId, WireEnum.require(DeviceKind.class, kind), serial, manufacturer, model,
                firmwareVersion, capacityBytes, WireEnum.require(SecurityState.class, securityState),
                WireEnum.require(DeviceStatus.class, status), createdAt, updatedAt);
    }

    UUID id() {
        return id;
    }
}
