package io.lethe.agent;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The CPU's view of a region: the device DAX instance whose physical range lies inside it. The
 * kernel numbers dax devices on its own (a pmem region's devdax namespace comes back as {@code
 * daxN.M} of the nd region, a RAM region's as {@code dax_regionZ/daxZ.0}), so the agent finds it by
 * range: each {@code /sys/bus/dax/devices/daxX.Y} shows its physical start ({@code resource}),
 * {@code size} and mapping alignment ({@code align}) (drivers/dax/bus.c;
 * Documentation/ABI/testing/sysfs-bus-dax). A devdax namespace starts after its info block, not at
 * the region's start. A dax device bound to {@code kmem} is System RAM: nothing can map it.
 */
@Component
class DaxDevices {

    static final String DEVICES = "sys/bus/dax/devices/";

    /**
     * One dax device: its physical range, alignment and driver ({@code device_dax} or {@code
     * kmem}).
     */
    record Dax(String name, long resource, long size, long align, String driver) {

        boolean systemRam() {
            return "kmem".equals(driver);
        }

        String devicePath() {
            return "dev/" + name;
        }
    }

    private final Sysfs sysfs;

    DaxDevices(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    /** The dax devices whose range lies within {@code [start, start + size)}. */
    List<Dax> within(long start, long size) {
        return sysfs.list(DEVICES).stream()
                .filter(n -> n.matches("dax\\d+\\.\\d+"))
                .map(this::read)
                .flatMap(Optional::stream)
                .filter(
                        d ->
                                d.size() > 0
                                        && d.resource() >= start
                                        && d.resource() + d.size() <= start + size)
                .toList();
    }

    private Optional<Dax> read(String name) {
        String dir = DEVICES + name + "/";
        if (!sysfs.exists(dir + "resource") || !sysfs.exists(dir + "size")) {
            // a device being torn down, or a kernel without the resource attribute (before 5.10)
            return Optional.empty();
        }
        try {
            long align =
                    sysfs.exists(dir + "align")
                            ? CxlBus.parse(sysfs.read(dir + "align"))
                            : 2L << 20;
            String driver = sysfs.exists(dir + "driver") ? sysfs.linkTarget(dir + "driver") : null;
            return Optional.of(
                    new Dax(
                            name,
                            CxlBus.parse(sysfs.read(dir + "resource")),
                            CxlBus.parse(sysfs.read(dir + "size")),
                            align,
                            driver));
        } catch (SysfsError | NumberFormatException gone) {
            return Optional.empty();
        }
    }
}
