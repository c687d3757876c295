package io.lethe.agent;

import java.util.List;

/**
 * The kernel's file interface as the agent sees it: sysfs attributes, {@code /proc} files and
 * character devices, addressed by paths relative to the agent's root (for example {@code
 * sys/bus/cxl/devices/mem0/serial}). A write the kernel refuses fails with a {@link SysfsError}
 * that carries the kernel's errno, exactly as {@code write(2)} would.
 */
public interface Sysfs {

    /** The attribute's text without its trailing newline. */
    String read(String path);

    /** Writes the value (a newline is added, as {@code echo} does); the kernel may refuse it. */
    void write(String path, String value);

    boolean exists(String path);

    /** The names in a directory, sorted; empty when it does not exist. */
    List<String> list(String directory);

    /**
     * The last element of a symbolic link's target, such as {@code mem0} for {@code uport ->
     * ../mem0}.
     */
    String linkTarget(String path);

    /**
     * A shared read-write mapping of {@code length} bytes of a device at {@code offset}, both
     * multiples of the device's alignment. Device DAX offers no {@code read} or {@code write}, only
     * {@code mmap} (drivers/dax/device.c {@code dax_fops}), and refuses a mapping that is not
     * aligned to the device's {@code align} with EINVAL ({@code check_vma()}).
     */
    Mapping map(String path, long offset, long length);

    /**
     * Bytes through a {@link #map mapping}, at offsets relative to its start. Closing it unmaps it.
     */
    interface Mapping extends AutoCloseable {

        byte[] read(long at, int length);

        void write(long at, byte[] bytes);

        @Override
        void close();
    }
}
