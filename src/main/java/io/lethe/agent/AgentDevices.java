package io.lethe.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Devices by serial, their security state as Lethe names it, and the host's inventory. */
@Component
class AgentDevices {

    static final String CXL_MEMDEV = "cxl-memdev";
    static final String NVDIMM = "nvdimm";

    /**
     * A device the agent drives: {@code nmem} takes its nvdimm security commands (a CXL memdev's
     * bridge, or the DIMM itself).
     */
    record Dev(String kind, String name, String serial, String nmem) {

        boolean memdev() {
            return CXL_MEMDEV.equals(kind);
        }
    }

    private final CxlBus cxl;
    private final NdBus nd;
    private final AgentState state;
    private final AgentProperties properties;
    private final Invalidations invalidations;

    AgentDevices(
            CxlBus cxl,
            NdBus nd,
            AgentState state,
            AgentProperties properties,
            Invalidations invalidations) {
        this.cxl = cxl;
        this.nd = nd;
        this.state = state;
        this.properties = properties;
        this.invalidations = invalidations;
    }

    Dev require(String serial) {
        Optional<String> memdev = cxl.memdevBySerial(serial);
        if (memdev.isPresent()) {
            return new Dev(
                    CXL_MEMDEV, memdev.get(), serial, nd.bridgeOf(numeric(serial)).orElse(null));
        }
        return nd.nvdimmBySerial(serial)
                .map(n -> new Dev(NVDIMM, n, serial, n))
                .orElseThrow(
                        () ->
                                AgentProblem.notFound(
                                        "no CXL memdev or NVDIMM with serial "
                                                + serial
                                                + " on this host"));
    }

    /** The kernel's raw state: {@code security/state} of a memdev, {@code security} of an nmem. */
    String rawState(Dev dev) {
        if (dev.memdev()) {
            return cxl.has(dev.name(), "security/state")
                    ? cxl.attribute(dev.name(), "security/state")
                    : "disabled";
        }
        return nd.frozen(dev.nmem()) ? "frozen" : nd.security(dev.nmem());
    }

    String securityState(Dev dev) {
        String raw = rawState(dev);
        return switch (raw) {
            case "sanitize", "overwrite" -> "sanitizing";
            case "frozen" -> attemptsLeft(dev) == 0 ? "passphrase-limit" : "frozen";
            default -> raw;
        };
    }

    int attemptLimit() {
        return properties.passphraseAttempts();
    }

    int attemptsLeft(Dev dev) {
        return Math.max(0, properties.passphraseAttempts() - state.wrongPassphrases(dev.serial()));
    }

    AgentWire.DeviceState read(String serial) {
        Dev dev = require(serial);
        return new AgentWire.DeviceState(
                dev.name(), dev.kind(), dev.serial(), securityState(dev), attemptsLeft(dev));
    }

    AgentWire.Inventory inventory() {
        List<AgentWire.Memdev> memdevs = new ArrayList<>();
        for (String m : cxl.memdevs()) {
            Dev dev = new Dev(CXL_MEMDEV, m, cxl.attribute(m, "serial"), null);
            memdevs.add(
                    new AgentWire.Memdev(
                            m,
                            dev.serial(),
                            optional(m, "firmware_version"),
                            size(m, "ram/size"),
                            size(m, "pmem/size"),
                            securityState(dev),
                            attemptsLeft(dev),
                            cxl.has(m, "security/sanitize")));
        }
        List<AgentWire.Nvdimm> nvdimms = new ArrayList<>();
        for (String n : nd.nvdimms()) {
            Dev dev = new Dev(NVDIMM, n, nd.optional(n, "nfit/serial").orElse(n), n);
            nvdimms.add(
                    new AgentWire.Nvdimm(
                            n,
                            dev.serial(),
                            nd.optional(n, "nfit/vendor").orElse(null),
                            nd.optional(n, "nfit/device").orElse(null),
                            nd.capacity(n),
                            securityState(dev),
                            attemptsLeft(dev)));
        }
        List<AgentWire.Region> regions = new ArrayList<>();
        for (String r : cxl.regions()) {
            List<String> serials =
                    cxl.targets(r).stream().map(m -> cxl.attribute(m, "serial")).toList();
            if (serials.isEmpty()) {
                // A region whose targets are not all set is being assembled: not one Lethe can
                // drive yet.
                continue;
            }
            regions.add(
                    new AgentWire.Region(
                            r,
                            cxl.number(r, "resource"),
                            cxl.number(r, "size"),
                            serials.size(),
                            (int) cxl.number(r, "interleave_granularity"),
                            serials,
                            cxl.committed(r)));
        }
        for (String r : nd.nvdimmRegions()) {
            List<String> serials =
                    nd.mapped(r).stream()
                            .map(n -> nd.optional(n, "nfit/serial").orElse(n))
                            .toList();
            // The kernel shows no NFIT interleave granularity: 0 says so.
            regions.add(
                    new AgentWire.Region(
                            NdBus.REGION_PREFIX + r,
                            CxlBus.parse(nd.regionAttribute(r, "resource")),
                            CxlBus.parse(nd.regionAttribute(r, "size")),
                            serials.size(),
                            0,
                            serials,
                            nd.active(r)));
        }
        Optional<String> refusal = invalidations.refusal();
        return new AgentWire.Inventory(
                memdevs,
                nvdimms,
                regions,
                refusal.isEmpty() ? "supported" : "unsupported",
                refusal.orElse(null));
    }

    private String optional(String device, String attribute) {
        return cxl.has(device, attribute) ? cxl.attribute(device, attribute) : null;
    }

    private long size(String device, String attribute) {
        return cxl.has(device, attribute) ? cxl.number(device, attribute) : 0;
    }

    /**
     * {@link CxlBus#parse}, or -1 for a serial that is not a number (it then matches no bridge).
     */
    static long numeric(String text) {
        try {
            return CxlBus.parse(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
