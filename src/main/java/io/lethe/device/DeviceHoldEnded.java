package io.lethe.device;

import java.util.UUID;

/**
 * The end of a hold on a device, as the device module needs to hear of it: published by whoever
 * held the device (an operation, in the transaction that ends it), handled by the device module in
 * that transaction, so the device is released with the end or not at all. Declared here, by the
 * module that reacts to it, so that a holder built on the device module can publish it without the
 * device module depending on the holder.
 */
public interface DeviceHoldEnded {

    /** The device that was held; for an end that held none, a device it names is not released. */
    UUID deviceId();

    /** Who held it: the release is a no-op when another holds the device, or none does. */
    UUID holder();

    /** The status the holder leaves the device in. */
    DeviceStatus deviceLeft();
}
