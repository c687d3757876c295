package io.lethe.device;

import io.lethe.common.LetheProblem;

/** No device has the id given. */
public final class DeviceNotFound extends LetheProblem.NotFound {
    public DeviceNotFound(String id) {
        super("Device", id);
    }
}
