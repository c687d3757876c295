package io.lethe.device;

import java.util.UUID;

/**
 * Published inside the registration transaction. {@code passphrase} and {@code masterPassphrase}
 * are the simulated device's own, present only for simulated hosts (each may be null); they live in
 * memory only and are never printed.
 */
public record DeviceRegistered(
        UUID deviceId,
        UUID hostId,
        DeviceKind kind,
        SecurityState securityState,
        String passphrase,
        String masterPassphrase) {

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
