package io.lethe.agent;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether this host can invalidate its CPU caches, and the agent's answer to an invalidation. A
 * user-space process cannot run {@code wbinvd}: the kernel invalidates when it commits a region
 * (and refuses the commit with ENXIO when it cannot); older kernels (6.1) commit without. What the
 * agent vouches for is that the host is bare metal, so those invalidations really happen; in a VM
 * guest (a {@code hypervisor} flag in {@code /proc/cpuinfo}) it answers unsupported, and when it
 * cannot tell, it answers unsupported too.
 */
@Component
class Invalidations {

    private static final Logger log = LoggerFactory.getLogger(Invalidations.class);

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
            return Optional.of(
                    "cannot tell bare metal from a virtual machine: /proc/cpuinfo is unreadable ("
                            + e.errno()
                            + ")");
        }
        boolean guest =
                cpuinfo.lines()
                        .filter(l -> l.startsWith("flags"))
                        .anyMatch(
                                l ->
                                        (" " + l.substring(l.indexOf(':') + 1) + " ")
                                                .contains(" hypervisor "));
        if (guest) {
            return Optional.of(
                    "the host is a virtual machine (hypervisor flag in /proc/cpuinfo): "
                            + "the kernel refuses to invalidate host-physical CPU caches (ENXIO)");
        }
        if (cpuinfo.lines().noneMatch(l -> l.startsWith("flags"))) {
            return Optional.of(
                    "cannot tell bare metal from a virtual machine: /proc/cpuinfo has no flags line");
        }
        return kernelInvalidates();
    }

    private volatile Boolean kernelHasInvalidation;

    /**
     * Whether the running kernel can invalidate CPU caches at a region commit at all: it needs
     * {@code cpu_cache_invalidate_memregion()} (include/linux/memregion.h; x86 in
     * arch/x86/mm/pat/set_memory.c), which older kernels such as 6.1 lack, committing regions
     * without invalidating. The symbol's name shows in /proc/kallsyms whatever kptr_restrict says.
     * On 6.12 KernelIT traces {@code commit_store()} calling it for every commit and reset.
     */
    private Optional<String> kernelInvalidates() {
        if (kernelHasInvalidation == null) {
            try {
                kernelHasInvalidation =
                        sysfs.read("proc/kallsyms")
                                .lines()
                                .anyMatch(l -> l.endsWith(" cpu_cache_invalidate_memregion"));
            } catch (SysfsError e) {
                return Optional.of(
                        "cannot tell whether the kernel invalidates CPU caches at region commit: /proc/kallsyms"
                                + " is unreadable ("
                                + e.errno()
                                + ")");
            }
        }
        return kernelHasInvalidation
                ? Optional.empty()
                : Optional.of(
                        "the kernel has no cpu_cache_invalidate_memregion()"
                                + " (older than the CXL region cache management of 6.2-era kernels): it commits regions without"
                                + " invalidating CPU caches");
    }

    AgentWire.Invalidation invalidate() {
        Instant started = clock.instant();
        refusal()
                .ifPresent(
                        why -> {
                            log.warn("Refused to vouch for a cache invalidation: {}", why);
                            throw AgentProblem.invalidationUnsupported(why);
                        });
        // What the agent observed is the check, not an invalidation: user space cannot run wbinvd.
        return new AgentWire.Invalidation(
                started,
                clock.instant(),
                "no invalidation runs now: the kernel invalidates "
                        + "CPU caches (wbinvd on all CPUs) when it commits the region at reattach, and refuses that commit with "
                        + "ENXIO where it cannot (drivers/cxl/core/region.c cxl_region_invalidate_memregion(); an NVDIMM region "
                        + "when it is activated, drivers/nvdimm/region_devs.c); checked that it can: bare metal, no hypervisor "
                        + "flag in /proc/cpuinfo");
    }
}
