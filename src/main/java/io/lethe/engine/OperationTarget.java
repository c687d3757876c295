package io.lethe.engine;

import io.lethe.device.DeviceStatus;
import java.util.UUID;

/**
 * What a new operation acts on.
 *
 * @param deviceId the device it holds while it runs (an attach names the region's first member)
 * @param hostId the device's host
 * @param regionId the region the device is a member of, or null
 * @param batchId the batch it belongs to, or null when requested on its own
 * @param statusBefore the device's status, to go back to when nothing changed
 */
public record OperationTarget(
        UUID deviceId, UUID hostId, UUID regionId, UUID batchId, DeviceStatus statusBefore) {}
