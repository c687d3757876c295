package io.lethe.agent;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Region decode: reset ({@code commit} 0) and commit ({@code commit} 1), both idempotent, and
 * access to a member device's share of the region through the CPU's view (its DAX device).
 */
@Component
class AgentRegions {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentRegions.class);
    static final int MAX_MEMORY = 1 << 20;

    private final CxlBus cxl;

    AgentRegions(CxlBus cxl) {
        this.cxl = cxl;
    }

    synchronized AgentWire.RegionState decode(String region, boolean commit) {
        require(region);
        if (cxl.committed(region) != commit) {
            try {
                cxl.write(region, "commit", commit ? "1" : "0");
            } catch (SysfsError e) {
                if (commit && e.errno() == SysfsError.Errno.ENXIO) {
                    throw AgentProblem.invalidationUnsupported(region + ": the kernel refused the commit because it "
                            + "cannot invalidate CPU caches on this host (ENXIO)");
                }
                throw AgentProblem.of(e, (commit ? "commit of " : "reset of ") + region);
            }
            log.info("{} {}", region, commit ? "committed" : "reset");
        }
        return new AgentWire.RegionState(region, cxl.committed(region));
    }

    byte[] read(String region, String serial, int length) {
        Share share = share(region, serial, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        share.each((regionOffset, shareOffset, n) -> out.writeBytes(cxlRead(region, regionOffset, n)));
        return out.toByteArray();
    }

    void write(String region, String serial, byte[] bytes) {
        Share share = share(region, serial, bytes.length);
        share.each((regionOffset, shareOffset, n) -> {
            try {
                cxl.sysfs().writeBytes(CxlBus.daxOf(region), regionOffset,
                        java.util.Arrays.copyOfRange(bytes, shareOffset, shareOffset + n));
            } catch (SysfsError e) {
                throw AgentProblem.of(e, "write to " + CxlBus.daxOf(region));
            }
        });
    }

    private byte[] cxlRead(String region, long offset, int n) {
        try {
            return cxl.sysfs().readBytes(CxlBus.daxOf(region), offset, n);
        } catch (SysfsError e) {
            throw AgentProblem.of(e, "read of " + CxlBus.daxOf(region));
        }
    }

    /** The device's share: every {@code ways}-th chunk of {@code granularity} bytes, from its target position. */
    private Share share(String region, String serial, int length) {
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
        long size = cxl.number(region, "size");
        int granularity = (int) cxl.number(region, "interleave_granularity");
        if (length > size / members.size()) {
            throw AgentProblem.badRequest("length exceeds the device's share of " + region);
        }
        return new Share(members.size(), position, granularity, length);
    }

    private void require(String region) {
        if (!cxl.regionExists(region)) {
            throw AgentProblem.notFound("no region " + region + " on this host");
        }
    }

    interface Chunk {
        void at(long regionOffset, int shareOffset, int length);
    }

    record Share(int ways, int position, int granularity, int length) {
        void each(Chunk chunk) {
            for (int done = 0; done < length; ) {
                int index = done / granularity;
                int within = done % granularity;
                int n = Math.min(granularity - within, length - done);
                chunk.at(((long) index * ways + position) * granularity + within, done, n);
                done += n;
            }
        }
    }
}
