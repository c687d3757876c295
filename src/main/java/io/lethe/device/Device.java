package io.lethe.device;

import io.lethe.common.WireEnum;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A memory device on a host. Enum fields are kept as their wire strings, the same in every
 * database.
 */
@Entity
@Table(name = "devices")
class Device {

    @Id private UUID id;

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

    @Column(name = "held_by")
    private UUID heldBy;

    @Column(name = "unlock_attempts_left")
    private Integer unlockAttemptsLeft;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version private long version;

    protected Device() {}

    Device(UUID id, UUID hostId, RegisterDeviceRequest request, Instant now) {
        this.id = id;
        this.hostId = hostId;
        this.kind = request.kind().wire();
        this.serial = request.serial();
        this.manufacturer = request.manufacturer();
        this.model = request.model();
        this.firmwareVersion = request.firmwareVersion();
        this.capacityBytes = request.capacityBytes();
        this.securityState =
                (request.securityState() == null ? SecurityState.DISABLED : request.securityState())
                        .wire();
        this.status = DeviceStatus.AVAILABLE.wire();
        SecurityState security = securityState();
        this.unlockAttemptsLeft =
                security == SecurityState.LOCKED || security == SecurityState.UNLOCKED ? 3 : null;
        this.createdAt = now;
        this.updatedAt = now;
    }

    static Device discovered(UUID id, UUID hostId, DiscoveredDevice found, Instant now) {
        Device device =
                new Device(
                        id,
                        hostId,
                        new RegisterDeviceRequest(
                                found.serial(),
                                found.kind(),
                                found.manufacturer(),
                                found.model(),
                                found.firmwareVersion(),
                                found.capacityBytes(),
                                found.securityState(),
                                null,
                                null),
                        now);
        device.unlockAttemptsLeft = found.unlockAttemptsLeft();
        return device;
    }

    /**
     * Takes what the host reports; the security state only while no operation holds the device (a
     * running operation owns it). Answers whether anything changed.
     */
    boolean refresh(DiscoveredDevice found, Instant now) {
        boolean idle = heldBy == null && status() != DeviceStatus.BUSY;
        String state = idle ? found.securityState().wire() : securityState;
        Integer attempts = idle ? found.unlockAttemptsLeft() : unlockAttemptsLeft;
        boolean changed =
                !Objects.equals(manufacturer, found.manufacturer())
                        || !Objects.equals(model, found.model())
                        || !Objects.equals(firmwareVersion, found.firmwareVersion())
                        || capacityBytes != found.capacityBytes()
                        || !securityState.equals(state)
                        || !Objects.equals(unlockAttemptsLeft, attempts);
        if (changed) {
            manufacturer = found.manufacturer();
            model = found.model();
            firmwareVersion = found.firmwareVersion();
            capacityBytes = found.capacityBytes();
            securityState = state;
            unlockAttemptsLeft = attempts;
            updatedAt = now;
        }
        return changed;
    }

    UUID hostId() {
        return hostId;
    }

    DeviceView view() {
        return new DeviceView(
                id,
                hostId,
                WireEnum.require(DeviceKind.class, kind),
                serial,
                manufacturer,
                model,
                firmwareVersion,
                capacityBytes,
                WireEnum.require(SecurityState.class, securityState),
                WireEnum.require(DeviceStatus.class, status),
                unlockAttemptsLeft,
                heldBy,
                createdAt,
                updatedAt);
    }

    SecurityState securityState() {
        return WireEnum.require(SecurityState.class, securityState);
    }

    DeviceStatus status() {
        return WireEnum.require(DeviceStatus.class, status);
    }

    /** An operation takes the device; a device has at most one. */
    void hold(UUID operationId, Instant now) {
        if (heldBy != null && !heldBy.equals(operationId)
                || status() == DeviceStatus.BUSY && heldBy == null) {
            throw new DeviceBusy(id.toString());
        }
        if (status() == DeviceStatus.DECOMMISSIONED) {
            throw new IllegalStateException("a decommissioned device cannot be held");
        }
        heldBy = operationId;
        status = DeviceStatus.BUSY.wire();
        updatedAt = now;
    }

    /** The holding operation ends and leaves the device in {@code next}; idempotent. */
    void release(UUID operationId, DeviceStatus next, Instant now) {
        if (!operationId.equals(heldBy)) {
            return;
        }
        heldBy = null;
        status = next.wire();
        updatedAt = now;
    }

    void recordSecurity(SecurityState state, Integer attemptsLeft, Instant now) {
        securityState = state.wire();
        unlockAttemptsLeft = attemptsLeft;
        updatedAt = now;
    }

    UUID id() {
        return id;
    }
}
