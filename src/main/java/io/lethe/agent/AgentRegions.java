package io.lethe.agent;

import io.lethe.agent.DaxDevices.Dax;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A region's decode, as {@code cxl disable-region} and {@code cxl enable-region} drive it
 * (pmem/ndctl {@code cxl/region.c}), and a member device's share of the region through the CPU's
 * view. Detach: take System RAM over the region offline, then write {@code commit} 0, which
 * releases the region driver (its dax and pmem devices go) and resets the decoders
 * (drivers/cxl/core/region.c {@code commit_store()}). Reattach: write {@code commit} 1, which
 * commits the decoders but binds no driver, then bind {@code cxl_region} again through
 * {@code /sys/bus/cxl/drivers/cxl_region/bind} and wait for the dax device to come back. Both are
 * idempotent.
 */
@Component
class AgentRegions {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentRegions.class);
    static final int MAX_MEMORY = 1 << 20;
    static final String REGION_DRIVER = "sys/bus/cxl/drivers/cxl_region/";

    private final CxlBus cxl;
    private final DaxDevices dax;
    private final MemoryBlocks memory;
    private final Duration deviceWait;

    AgentRegions(CxlBus cxl, DaxDevices dax, MemoryBlocks memory, AgentProperties properties) {
        this.cxl = cxl;
        this.dax = dax;
        this.memory = memory;
        this.deviceWait = properties.deviceWait();
    }

    synchronized AgentWire.RegionState decode(String region, boolean commit) {
        require(region);
        if (commit) {
            commit(region);
        } else {
            reset(region);
        }
        boolean committed = cxl.committed(region);
        return new AgentWire.RegionState(region, committed, committed ? cpuView(region).map(Dax::name).orElse(null) : null);
    }

    private void reset(String region) {
        if (!cxl.committed(region)) {
            return;
        }
        for (Dax d : daxOf(region)) {
            if (d.systemRam()) {
                memory.offline(region + " (" + d.name() + ")", d.resource(), d.size());
            }
        }
        try {
            cxl.write(region, "commit", "0");
        } catch (SysfsError e) {
            throw AgentProblem.of(e, "reset of " + region);
        }
        log.info("{} reset", region);
    }

    private void commit(String region) {
        if (!cxl.committed(region)) {
            try {
                cxl.write(region, "commit", "1");
            } catch (SysfsError e) {
                if (e.errno() == SysfsError.Errno.ENXIO) {
                    // cxl_region_invalidate_memregion(): "Failed to synchronize CPU cache state" where
                    // cpu_cache_has_invalidate_memregion() is false (x86 under a hypervisor)
                    throw AgentProblem.invalidationUnsupported(region + ": the kernel refused the commit because it "
                            + "cannot invalidate CPU caches on this host (ENXIO); the region stays detached");
                }
                throw AgentProblem.of(e, "commit of " + region);
            }
            log.info("{} committed", region);
        }
        if (!cxl.has(region, "driver")) {
            try {
                cxl.sysfs().write(REGION_DRIVER + "bind", region);
                log.info("{} bound to cxl_region", region);
            } catch (SysfsError e) {
                // the driver core may have probed it meanwhile (EBUSY: already bound); anything else is a refusal
                if (!cxl.has(region, "driver")) {
                    throw AgentProblem.of(e, "binding " + region + " to cxl_region");
                }
            }
        }
        awaitCpuView(region);
    }

    /**
     * The dax device comes when the region's children have probed (nd region, namespace, dax), not
     * at once; and on 6.12 a mapping made right after it appears, bound and with its node, can still
     * fail with ENXIO. So the wait ends when a trial mapping of one alignment unit succeeds.
     */
    private void awaitCpuView(String region) {
        long deadline = System.nanoTime() + deviceWait.toNanos();
        while (!mappableNow(region)) {
            if (System.nanoTime() > deadline) {
                log.warn("{} is committed but no dax device maps it after {}", region, deviceWait);
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean mappableNow(String region) {
        Optional<Dax> view = cpuView(region);
        if (view.isEmpty()) {
            return false;
        }
        try (Sysfs.Mapping trial = cxl.sysfs().map(view.get().devicePath(), 0, view.get().align())) {
            return true;
        } catch (SysfsError notYet) {
            return false;
        }
    }

    private List<Dax> daxOf(String region) {
        return dax.within(cxl.number(region, "resource"), cxl.number(region, "size"));
    }

    /**
     * The dax device through which the CPU reaches the region. It must be bound to its driver and
     * have its device node: the kernel creates the device before device_dax has probed it, and a
     * mapping made in between fails with ENXIO (seen on 6.12 right after binding cxl_region).
     */
    private Optional<Dax> cpuView(String region) {
        return daxOf(region).stream().filter(this::mappable).findFirst();
    }

    private boolean mappable(Dax d) {
        return d.driver() != null && !d.systemRam() && cxl.sysfs().exists(d.devicePath());
    }

    byte[] read(String region, String serial, int length) {
        Window window = window(region, serial, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        window.access("read of", (mapping, at, shareOffset, n) -> out.writeBytes(mapping.read(at, n)));
        return out.toByteArray();
    }

    void write(String region, String serial, byte[] bytes) {
        window(region, serial, bytes.length).access("write to",
                (mapping, at, shareOffset, n) -> mapping.write(at, java.util.Arrays.copyOfRange(bytes, shareOffset, shareOffset + n)));
    }

    /**
     * The device's share: every {@code ways}-th chunk of {@code granularity} bytes from its target
     * position, starting at the first interleave set the dax device covers, mapped at the dax
     * device's alignment.
     */
    private Window window(String region, String serial, int length) {
        require(region);
        if (length < 0 || length > MAX_MEMORY) {
            throw AgentProblem.badRequest("length must be 0 to " + MAX_MEMORY + " bytes");
        }
        if (!cxl.committed(region)) {
            throw AgentProblem.refused(region + " is not committed: the CPU cannot reach its memory", SysfsError.Errno.ENXIO);
        }
        List<String> members = cxl.targets(region);
        int position = -1;
        for (int i = 0; i < members.size(); i++) {
            if (serial.equals(cxl.attribute(members.get(i), "serial"))) {
                position = i;
            }
        }
        if (position < 0) {
            throw AgentProblem.notFound("no member with serial " + serial + " in " + region);
        }
        Dax view = cpuView(region).orElseThrow(() -> AgentProblem.noCpuView(daxOf(region).stream().filter(Dax::systemRam)
                .findFirst().map(ram -> region + " is System RAM (" + ram.name() + " bound to kmem): no device maps it, so"
                        + " nothing can be written or read back through it")
                .orElse(region + " has no dax device bound to device_dax: nothing maps its memory, so nothing can be"
                        + " written or read back")));
        long regionStart = cxl.number(region, "resource");
        int granularity = (int) cxl.number(region, "interleave_granularity");
        long set = (long) granularity * members.size();
        long firstSet = (view.resource() - regionStart + set - 1) / set;
        Share share = new Share(members.size(), position, granularity, length, firstSet * set - (view.resource() - regionStart));
        long[] span = share.span();
        long mapStart = span[0] / view.align() * view.align();
        long mapEnd = (span[1] + view.align() - 1) / view.align() * view.align();
        if (length > 0 && mapEnd > view.size()) {
            throw AgentProblem.badRequest("length exceeds the device's share of " + region + " that " + view.name() + " maps");
        }
        return new Window(cxl.sysfs(), view, share, mapStart, mapEnd - mapStart);
    }

    private void require(String region) {
        if (!cxl.regionExists(region)) {
            throw AgentProblem.notFound("no region " + region + " on this host");
        }
    }

    interface Access {
        void at(Sysfs.Mapping mapping, long mappingOffset, int shareOffset, int length);
    }

    record Window(Sysfs sysfs, Dax dax, Share share, long offset, long length) {
        void access(String verb, Access access) {
            if (share.length() == 0) {
                return;
            }
            try (Sysfs.Mapping mapping = sysfs.map(dax.devicePath(), offset, length)) {
                share.each((daxOffset, shareOffset, n) -> access.at(mapping, daxOffset - offset, shareOffset, n));
            } catch (SysfsError e) {
                throw AgentProblem.of(e, verb + " /" + dax.devicePath());
            }
        }
    }

    interface Chunk {
        void at(long daxOffset, int shareOffset, int length);
    }

    /** Chunks of one member's share, as offsets into the dax device, which starts {@code base} bytes before them. */
    record Share(int ways, int position, int granularity, int length, long base) {
        void each(Chunk chunk) {
            for (int done = 0; done < length; ) {
                int index = done / granularity;
                int within = done % granularity;
                int n = Math.min(granularity - within, length - done);
                chunk.at(base + ((long) index * ways + position) * granularity + within, done, n);
                done += n;
            }
        }

        /** The first and the end dax offset the share touches. */
        long[] span() {
            long[] span = {Long.MAX_VALUE, 0};
            each((at, shareOffset, n) -> {
                span[0] = Math.min(span[0], at);
                span[1] = Math.max(span[1], at + n);
            });
            return span[0] == Long.MAX_VALUE ? new long[] {base, base} : span;
        }
    }
}
