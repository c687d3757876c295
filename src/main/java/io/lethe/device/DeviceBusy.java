package io.lethe.device;

import io.lethe.common.LetheProblem;

/** Another operation holds the device. */
public final class DeviceBusy extends LetheProblem.Conflict {
    public DeviceBusy(String deviceId) {
        super("Device busy", "Device " + deviceId + " is busy with another operation");
    }
}
