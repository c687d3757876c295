package io.lethe.device;

import java.util.UUID;

/**
 * Published inside the registration transaction. {@code passphrase} is the simulated device's own
 * passphrase, present only for simulated hosts; it lives in memory only and is never printed.
 */
public record DeviceRegistered(
        UUID deviceId,
        UUID hostId,
        DeviceKind kind,
        SecurityState securityState,
        String passphrase) {

    @Override
    public String toString() {
        return "DeviceRegistered[deviceId="
                + deviceId
                + ", hostId="
                + hostId
                + ", kind="
                + kind
                + ", securityState="
                + securityState
                + "]";
    }
}
