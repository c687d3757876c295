package io.lethe.engine;

import io.lethe.common.WireEnum;
import io.lethe.device.DeviceStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.UUID;

/**
 * What an operation acts on: the device (held while it runs), its host, the region it is a member
 * of, the batch it belongs to, and the device's status before, to go back to when nothing changed.
 * Fixed when the operation is asked for.
 */
@Embeddable
class Subject {

    @Column(name = "device_id")
    private UUID deviceId;

    @Column(name = "host_id")
    private UUID hostId;

    @Column(name = "region_id")
    private UUID regionId;

    @Column(name = "batch_id")
    private UUID batchId;

    @Column(name = "status_before")
    private String statusBefore;

    protected Subject() {}

    Subject(OperationTarget target) {
        this.deviceId = target.deviceId();
        this.hostId = target.hostId();
        this.regionId = target.regionId();
        this.batchId = target.batchId();
        this.statusBefore = target.statusBefore().wire();
    }

    UUID deviceId() {
        return deviceId;
    }

    UUID hostId() {
        return hostId;
    }

    /** The region the device is a member of, or null. */
    UUID regionId() {
        return regionId;
    }

    /** The batch the operation belongs to, or null when it was requested on its own. */
    UUID batchId() {
        return batchId;
    }

    DeviceStatus statusBefore() {
        return WireEnum.require(DeviceStatus.class, statusBefore);
    }
}
