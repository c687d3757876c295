package io.lethe.agent;

import io.lethe.agent.DaxDevices.Dax;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member device's share of a committed region through the CPU's view: the dax device that maps
 * the region, bound to device_dax and with its node, and the chunks of the interleave that are the
 * member's. Reads and writes through it are how Lethe puts a canary in and reads it back.
 */
class CpuViews {

    private static final Logger log = LoggerFactory.getLogger(CpuViews.class);

    /** The most a read or write through the view may move at once. */
    static final int MAX_MEMORY = 1 << 20;

    private final Sysfs sysfs;
    private final DaxDevices dax;
    private final Duration deviceWait;

    CpuViews(Sysfs sysfs, DaxDevices dax, Duration deviceWait) {
        this.sysfs = sysfs;
        this.dax = dax;
        this.deviceWait = deviceWait;
    }

    /**
     * The dax device comes when the region's children have probed (nd region, namespace, dax), not
     * at once; and on 6.12 a mapping made right after it appears, bound and with its node, can
     * still fail with ENXIO. So the wait ends when a trial mapping of one alignment unit succeeds.
     */
    void await(AgentRegions.Layout layout) {
        long deadline = System.nanoTime() + deviceWait.toNanos();
        while (!mappableNow(layout)) {
            if (System.nanoTime() > deadline) {
                log.warn(
                        "{} is committed but no dax device maps it after {}",
                        layout.name(),
                        deviceWait);
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

    private boolean mappableNow(AgentRegions.Layout layout) {
        Optional<Dax> view = cpuView(layout);
        if (view.isEmpty()) {
            return false;
        }
        try (Sysfs.Mapping trial = sysfs.map(view.get().devicePath(), 0, view.get().align())) {
            return true;
        } catch (SysfsError notYet) {
            return false;
        }
    }

    List<Dax> daxOf(AgentRegions.Layout layout) {
        return dax.within(layout.resource(), layout.size());
    }

    /**
     * The dax device through which the CPU reaches the region. It must be bound to its driver and
     * have its device node: the kernel creates the device before device_dax has probed it, and a
     * mapping made in between fails with ENXIO (seen on 6.12 right after binding cxl_region).
     */
    Optional<Dax> cpuView(AgentRegions.Layout layout) {
        return daxOf(layout).stream().filter(this::mappable).findFirst();
    }

    private boolean mappable(Dax d) {
        return d.driver() != null && !d.systemRam() && sysfs.exists(d.devicePath());
    }

    byte[] read(AgentRegions.Layout layout, String serial, int length) {
        Window window = window(layout, serial, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        window.access(
                "read of", (mapping, at, shareOffset, n) -> out.writeBytes(mapping.read(at, n)));
        return out.toByteArray();
    }

    void write(AgentRegions.Layout layout, String serial, byte[] bytes) {
        window(layout, serial, bytes.length)
                .access(
                        "write to",
                        (mapping, at, shareOffset, n) ->
                                mapping.write(
                                        at,
                                        Arrays.copyOfRange(bytes, shareOffset, shareOffset + n)));
    }

    /**
     * The device's share: every {@code ways}-th chunk of {@code granularity} bytes from its target
     * position, starting at the first interleave set the dax device covers, mapped at the dax
     * device's alignment.
     */
    private Window window(AgentRegions.Layout layout, String serial, int length) {
        String region = layout.name();
        if (length < 0 || length > MAX_MEMORY) {
            throw AgentProblem.badRequest("length must be 0 to " + MAX_MEMORY + " bytes");
        }
        if (!layout.committed()) {
            throw AgentProblem.refused(
                    region + " is not committed: the CPU cannot reach its memory",
                    SysfsError.Errno.ENXIO);
        }
        int position = layout.serials().indexOf(serial);
        if (position < 0) {
            throw AgentProblem.notFound("no member with serial " + serial + " in " + region);
        }
        Dax view =
                cpuView(layout)
                        .orElseThrow(
                                () ->
                                        AgentProblem.noCpuView(
                                                daxOf(layout).stream()
                                                        .filter(Dax::systemRam)
                                                        .findFirst()
                                                        .map(
                                                                ram ->
                                                                        region
                                                                                + " is System RAM ("
                                                                                + ram.name()
                                                                                + " bound to kmem): no device maps it, so"
                                                                                + " nothing can be written or read back through it")
                                                        .orElse(
                                                                region
                                                                        + " has no dax device bound to device_dax: nothing maps its memory, so nothing can be"
                                                                        + " written or read back")));
        int ways = layout.serials().size();
        if (layout.granularity() == 0 && ways > 1) {
            // The NFIT interleave of an nd region is not in sysfs: one DIMM's bytes cannot be told
            // apart.
            throw AgentProblem.noCpuView(
                    region
                            + " interleaves "
                            + ways
                            + " NVDIMMs in a way the kernel does not show:"
                            + " one DIMM's share cannot be located, so nothing can be written or read back for it");
        }
        long regionStart = layout.resource();
        int granularity = layout.granularity() == 0 ? (int) view.align() : layout.granularity();
        List<String> members = layout.serials();
        long set = (long) granularity * members.size();
        long firstSet = (view.resource() - regionStart + set - 1) / set;
        Share share =
                new Share(
                        members.size(),
                        position,
                        granularity,
                        length,
                        firstSet * set - (view.resource() - regionStart));
        long[] span = share.span();
        long mapStart = span[0] / view.align() * view.align();
        long mapEnd = (span[1] + view.align() - 1) / view.align() * view.align();
        if (length > 0 && mapEnd > view.size()) {
            throw AgentProblem.badRequest(
                    "length exceeds the device's share of "
                            + region
                            + " that "
                            + view.name()
                            + " maps");
        }
        return new Window(sysfs, view, share, mapStart, mapEnd - mapStart);
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
                share.each(
                        (daxOffset, shareOffset, n) ->
                                access.at(mapping, daxOffset - offset, shareOffset, n));
            } catch (SysfsError e) {
                throw AgentProblem.of(e, verb + " /" + dax.devicePath());
            }
        }
    }

    interface Chunk {
        void at(long daxOffset, int shareOffset, int length);
    }

    /**
     * Chunks of one member's share, as offsets into the dax device, which starts {@code base} bytes
     * before them.
     */
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
            each(
                    (at, shareOffset, n) -> {
                        span[0] = Math.min(span[0], at);
                        span[1] = Math.max(span[1], at + n);
                    });
            return span[0] == Long.MAX_VALUE ? new long[] {base, base} : span;
        }
    }
}
