package io.lethe.device;

/**
 * A device as its host reports it during discovery. Discovery creates the device or brings its
 * description and, while no operation holds it, its security state up to date.
 */
public record DiscoveredDevice(
        DeviceKind kind,
        String serial,
        String manufacturer,
        String model,
        String firmwareVersion,
        long capacityBytes,
        SecurityState securityState,
        Integer unlockAttemptsLeft) {

    /** What discovery did with a device or region. */
    public enum Change {
        CREATED,
        UPDATED,
        UNCHANGED
    }

    /** The device after discovery and what changed. */
    public record Recorded(DeviceView device, Change change) {}
}
