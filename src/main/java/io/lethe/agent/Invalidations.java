package io.lethe.agent;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Whether this host can invalidate its CPU caches, and the agent's answer to an invalidation.
 * A user-space process cannot run {@code wbinvd}: the kernel invalidates when it commits a region
 * (and refuses the commit with ENXIO when it cannot); older kernels (6.1) commit without. What the
 * agent vouches for is that the host is bare metal, so those invalidations really happen; in a
 * VM guest (a {@code hypervisor} flag in {@code /proc/cpuinfo}) it answers unsupported, and when
 * it cannot tell, it answers unsupported too.
 */
@Component
class Invalidations {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Invalidations.class);

    private final Sysfs sysfs;
    private final Clock clock = Clock.systemUTC();

    Invalidations(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    /** Why this host cannot invalidate, or empty on bare metal. */
    Optional<String> refusal() {
        String cpuinfo;
        try {
            cpuinfo = sysfs.read("proc/cpuinfo");
        } catch (SysfsError e) {
            return Optional.of("cannot tell bare metal from a virtual machine: /proc/cpuinfo is unreadable (" + e.errno() + ")");
        }
        boolean guest = cpuinfo.lines().filter(l -> l.startsWith("flags"))
                .anyMatch(l -> (" " + l.substring(l.indexOf(':') + 1) + " ").contains(" hypervisor "));
        if (guest) {
            return Optional.of("the host is a virtual machine (hypervisor flag in /proc/cpuinfo): "
                    + "the kernel refuses to invalidate host-physical CPU caches (ENXIO)");
        }
        if (cpuinfo.lines().noneMatch(l -> l.startsWith("flags"))) {
            return Optional.of("cannot tell bare metal from a virtual machine: /proc/cpuinfo has no flags line");
        }
        return Optional.empty();
    }

    AgentWire.Invalidation invalidate() {
        Instant started = clock.instant();
        refusal().ifPresent(why -> {
            log.warn("Refused to vouch for a cache invalidation: {}", why);
            throw AgentProblem.invalidationUnsupported(why);
        });
        // What the agent observed is the check, not an invalidation: user space cannot run wbinvd.
        return new AgentWire.Invalidation(started, clock.instant(), "no invalidation runs now: the kernel invalidates "
                + "CPU caches (wbinvd on all CPUs) when it commits the region at reattach, and refuses that commit with "
                + "ENXIO where it cannot (drivers/cxl/core/region.c cxl_region_invalidate_memregion(); an NVDIMM region "
                + "when it is activated, drivers/nvdimm/region_devs.c); checked that it can: bare metal, no hypervisor "
                + "flag in /proc/cpuinfo");
    }
}
