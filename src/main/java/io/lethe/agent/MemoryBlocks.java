package io.lethe.agent;

import org.springframework.stereotype.Component;

/**
 * System RAM over a region: its memory blocks must be offline before the region's decoders are
 * reset, or the kernel would pull memory from under the running system. This is what {@code daxctl
 * offline-memory} does, and {@code cxl disable-region} refuses a region whose memory is online
 * (pmem/ndctl {@code daxctl/lib/libdaxctl.c}, {@code cxl/region.c}): write {@code offline} to
 * {@code /sys/devices/system/memory/memoryN/state} of every block in the range, where a block is
 * {@code block_size_bytes} long, printed in hex without {@code 0x} (drivers/base/memory.c {@code
 * block_size_bytes_show()}: {@code "%lx"}). The kernel answers EBUSY for a block it cannot empty.
 */
@Component
class MemoryBlocks {

    static final String DIR = "sys/devices/system/memory/";

    private final Sysfs sysfs;

    MemoryBlocks(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    /**
     * Takes every online block of {@code [start, start + size)} offline, or refuses with the block
     * that stays.
     */
    void offline(String what, long start, long size) {
        long block;
        try {
            block = Long.parseUnsignedLong(sysfs.read(DIR + "block_size_bytes"), 16);
        } catch (SysfsError | NumberFormatException e) {
            throw AgentProblem.refused(
                    what
                            + " is System RAM and the memory block size is unreadable: "
                            + "cannot take it offline, so the region stays decoded",
                    SysfsError.Errno.EIO);
        }
        for (long n = start / block; n <= (start + size - 1) / block; n++) {
            String state = DIR + "memory" + n + "/state";
            if (!sysfs.exists(state) || !"online".equals(sysfs.read(state))) {
                continue;
            }
            try {
                sysfs.write(state, "offline");
            } catch (SysfsError e) {
                throw AgentProblem.busy(
                        what
                                + " is System RAM in use: the kernel would not take memory"
                                + n
                                + " offline ("
                                + e.errno()
                                + "), so the region stays decoded; move the workload off it first");
            }
        }
    }
}
