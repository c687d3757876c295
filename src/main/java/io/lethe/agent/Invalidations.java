package io.lethe.agent;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Whether this host can invalidate its CPU caches, and the agent's answer to an invalidation.
 * A user-space process cannot run {@code wbinvd}: the kernel invalidates when a region is reset
 * and again before it commits it (and refuses the commit with ENXIO when it cannot). What the
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
        return new AgentWire.Invalidation(started, clock.instant(), "bare metal (no hypervisor flag in /proc/cpuinfo); "
                + "the kernel invalidates every CPU cache line (wbinvd on all CPUs) when a region is reset and before it commits it");
    }
}
