package io.lethe.agent;

import io.lethe.agent.DaxDevices.Dax;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A region's decode, and a member device's share of the region through the CPU's view. Both kinds
 * are idempotent and take System RAM over the region offline before detaching it.
 *
 * <ul>
 *   <li>A CXL region ({@code regionZ}), as {@code cxl disable-region} and {@code cxl enable-region}
 *       drive it (pmem/ndctl {@code cxl/region.c}). Detach writes {@code commit} 0, which releases
 *       the region driver (its dax and pmem devices go) and resets the decoders
 *       (drivers/cxl/core/region.c {@code commit_store()}). Reattach writes {@code commit} 1, which
 *       commits the decoders but binds no driver, then binds {@code cxl_region} again and waits for
 *       the dax device to come back.
 *   <li>An nd region of NVDIMMs ({@code nd-regionN}, Lethe's name for the nd bus's {@code
 *       regionN}), as {@code ndctl disable-region} and {@code enable-region} drive it (pmem/ndctl
 *       {@code ndctl/lib/libndctl.c}): unbind and bind the {@code nd_region} driver. While a region
 *       is enabled its DIMMs are busy and refuse erase and overwrite (drivers/nvdimm/security.c,
 *       {@code nvdimm->busy}); enabling it invalidates CPU caches for DIMMs a security command made
 *       incoherent, or fails with ENXIO where it cannot (drivers/nvdimm/region_devs.c {@code
 *       nd_region_activate()}).
 * </ul>
 */
@Component
class AgentRegions {

    private static final Logger log = LoggerFactory.getLogger(AgentRegions.class);
    static final String REGION_DRIVER = "sys/bus/cxl/drivers/cxl_region/";

    private final CxlBus cxl;
    private final NdBus nd;
    private final DaxDevices dax;
    private final MemoryBlocks memory;
    private final Duration deviceWait;
    private final RegionFences fences;

    private final Invalidations invalidations;
    private final CpuViews views;

    AgentRegions(
            CxlBus cxl,
            NdBus nd,
            DaxDevices dax,
            MemoryBlocks memory,
            AgentProperties properties,
            RegionFences fences,
            Invalidations invalidations) {
        this.views = new CpuViews(cxl.sysfs(), dax, properties.deviceWait());
        this.fences = fences;
        this.invalidations = invalidations;
        this.cxl = cxl;
        this.nd = nd;
        this.dax = dax;
        this.memory = memory;
        this.deviceWait = properties.deviceWait();
    }

    /**
     * What the agent needs of a region of either kind: its physical range, its members' serials in
     * interleave position order, its granularity (0 where the kernel does not show it) and whether
     * it decodes.
     */
    record Layout(
            String name,
            long resource,
            long size,
            List<String> serials,
            int granularity,
            boolean committed) {}

    Layout layout(String region) {
        if (region.startsWith(NdBus.REGION_PREFIX)) {
            String kernel = ndRegion(region);
            List<String> serials =
                    nd.mapped(kernel).stream()
                            .map(n -> nd.optional(n, "nfit/serial").orElse(n))
                            .toList();
            return new Layout(
                    region,
                    CxlBus.parse(nd.regionAttribute(kernel, "resource")),
                    CxlBus.parse(nd.regionAttribute(kernel, "size")),
                    serials,
                    0,
                    nd.active(kernel));
        }
        if (!cxl.regionExists(region)) {
            throw AgentProblem.notFound("no region " + region + " on this host");
        }
        List<String> serials =
                cxl.targets(region).stream().map(m -> cxl.attribute(m, "serial")).toList();
        return new Layout(
                region,
                cxl.number(region, "resource"),
                cxl.number(region, "size"),
                serials,
                (int) cxl.number(region, "interleave_granularity"),
                cxl.committed(region));
    }

    /** The nd bus's name of an {@code nd-regionN}, which must be a region of NVDIMMs. */
    private String ndRegion(String region) {
        String kernel = region.substring(NdBus.REGION_PREFIX.length());
        if (!kernel.matches("region\\d+") || !nd.nvdimmRegions().contains(kernel)) {
            throw AgentProblem.notFound("no NVDIMM region " + region + " on this host");
        }
        return kernel;
    }

    /**
     * Resets or commits the region, unless a later command of the region carried a higher fencing
     * token ({@link RegionFences}, checked and recorded before anything is written to the kernel).
     */
    synchronized AgentWire.RegionState decode(String region, boolean commit, long fence) {
        Layout layout = layout(region);
        fences.admit(region, fence);
        if (commit) {
            commit(layout);
        } else {
            reset(layout);
        }
        boolean committed = layout(region).committed();
        return new AgentWire.RegionState(
                region,
                committed,
                committed ? views.cpuView(layout).map(Dax::name).orElse(null) : null);
    }

    private void reset(Layout layout) {
        if (!layout.committed()) {
            return;
        }
        for (Dax d : views.daxOf(layout)) {
            if (d.systemRam()) {
                memory.offline(layout.name() + " (" + d.name() + ")", d.resource(), d.size());
            }
        }
        try {
            if (layout.name().startsWith(NdBus.REGION_PREFIX)) {
                String kernel = ndRegion(layout.name());
                refuseWhileMounted(layout.name(), kernel);
                cxl.sysfs().write(NdBus.REGION_DRIVER + "unbind", kernel);
            } else {
                cxl.write(layout.name(), "commit", "0");
            }
        } catch (SysfsError e) {
            if (e.errno() == SysfsError.Errno.ENXIO && invalidations.refusal().isPresent()) {
                // commit_store() invalidates before a reset as before a commit
                throw AgentProblem.invalidationUnsupported(
                        layout.name()
                                + ": the kernel refused the reset because it invalidates CPU caches"
                                + " first and cannot on this host (ENXIO); the region stays"
                                + " committed");
            }
            throw AgentProblem.of(e, "reset of " + layout.name());
        }
        log.info("{} reset", layout.name());
    }

    /**
     * Unbinding cannot fail, so a mounted filesystem on the region's pmem would lose its device;
     * {@code ndctl disable-region} refuses an active namespace the same way.
     */
    private void refuseWhileMounted(String region, String kernel) {
        List<String> blocks = nd.blockDevices(kernel);
        if (blocks.isEmpty() || !cxl.sysfs().exists("proc/mounts")) {
            return;
        }
        String mounts = cxl.sysfs().read("proc/mounts");
        for (String block : blocks) {
            if (mounts.lines().anyMatch(l -> l.startsWith("/dev/" + block + " "))) {
                throw AgentProblem.busy(
                        region
                                + ": /dev/"
                                + block
                                + " is mounted; unmount it before the region is reset");
            }
        }
    }

    private void commit(Layout layout) {
        if (layout.name().startsWith(NdBus.REGION_PREFIX)) {
            if (!layout.committed()) {
                bind(layout.name(), NdBus.REGION_DRIVER + "bind", ndRegion(layout.name()));
            }
            views.await(layout);
            return;
        }
        String region = layout.name();
        if (!layout.committed()) {
            try {
                cxl.write(region, "commit", "1");
            } catch (SysfsError e) {
                throw commitRefused(region, e);
            }
            log.info("{} committed", region);
        }
        if (!cxl.has(region, "driver")) {
            try {
                bind(region, REGION_DRIVER + "bind", region);
            } catch (AgentProblem refused) {
                // the driver core may have probed it meanwhile (EBUSY: already bound); anything
                // else is a refusal
                if (!cxl.has(region, "driver")) {
                    throw refused;
                }
            }
        }
        views.await(layout);
    }

    private void bind(String region, String bindFile, String device) {
        try {
            cxl.sysfs().write(bindFile, device);
        } catch (SysfsError e) {
            throw commitRefused(region, e);
        }
        log.info("{} bound to its driver", region);
    }

    /**
     * ENXIO: "Failed to synchronize CPU cache state" where {@code
     * cpu_cache_has_invalidate_memregion()} is false (x86 under a hypervisor), from {@code
     * cxl_region_invalidate_memregion()} at a CXL commit or {@code nd_region_activate()} at an
     * NVDIMM region's probe.
     */
    private AgentProblem commitRefused(String region, SysfsError e) {
        if (e.errno() == SysfsError.Errno.ENXIO) {
            if (invalidations.refusal().isEmpty() && !region.startsWith(NdBus.REGION_PREFIX)) {
                // commit_store() answers ENXIO also before it invalidates, for a region not ready
                // to commit (drivers/cxl/core/region.c, Debian 6.12.118); on a host that can
                // invalidate that is the one left
                return AgentProblem.refused(
                        region
                                + ": the kernel refused the commit (ENXIO) although this host can"
                                + " invalidate CPU caches: the region is not ready to commit (its"
                                + " size, targets or endpoint decoders are not all set); the region"
                                + " stays detached",
                        SysfsError.Errno.ENXIO);
            }
            return AgentProblem.invalidationUnsupported(
                    region
                            + ": the kernel refused the commit because it "
                            + "cannot invalidate CPU caches on this host (ENXIO); the region stays detached");
        }
        return AgentProblem.of(e, "commit of " + region);
    }

    byte[] read(String region, String serial, int length) {
        return views.read(layout(region), serial, length);
    }

    void write(String region, String serial, byte[] bytes) {
        views.write(layout(region), serial, bytes);
    }
}
