package io.lethe.agent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The NVDIMM part of the kernel ABI: {@code nmemX/security} takes the security commands, which name
 * a key id in the kernel keyring. A CXL memdev with persistent memory has a bridge nmem whose
 * {@code cxl/id} is the memdev's serial in decimal (drivers/cxl/pmem.c {@code id_show()}: signed,
 * {@code "%lld"}, up to Debian's 6.12.110; unsigned, {@code "%llu"}, since); its security commands
 * go through it.
 */
@Component
class NdBus {

    static final String DEVICES = "sys/bus/nd/devices/";
    static final String DRIVER = "sys/bus/nd/drivers/nvdimm/";
    static final String REGION_DRIVER = "sys/bus/nd/drivers/nd_region/";

    /** How Lethe names an nd region of NVDIMMs, apart from the CXL region of the same number. */
    static final String REGION_PREFIX = "nd-";

    private final Sysfs sysfs;

    NdBus(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    List<String> nmems() {
        return sysfs.list(DEVICES).stream().filter(n -> n.matches("nmem\\d+")).toList();
    }

    /** NVDIMMs of their own, not bridges of CXL memdevs. */
    List<String> nvdimms() {
        Set<String> bridges = cxlBusNmems();
        return nmems().stream()
                .filter(n -> !sysfs.exists(DEVICES + n + "/cxl/id") && !bridges.contains(n))
                .toList();
    }

    /**
     * The nmems on an nd bus whose provider is CXL: the bridges of CXL memdevs, also where they
     * have no {@code cxl/id} (6.1: drivers/cxl/pmem.c registers the bus with provider_name "CXL"
     * and the nvdimm without that attribute; seen in KernelIT on Debian's 6.1.192, where they were
     * taken for NVDIMMs). Each bus lists its nmems as its children.
     */
    private Set<String> cxlBusNmems() {
        Set<String> found = new HashSet<>();
        for (String bus :
                sysfs.list(DEVICES).stream().filter(n -> n.matches("ndbus\\d+")).toList()) {
            if (optional(bus, "provider").map(p -> p.strip().equals("CXL")).orElse(false)) {
                for (String nmem : nmems()) {
                    if (sysfs.exists(DEVICES + bus + "/" + nmem)) {
                        found.add(nmem);
                    }
                }
            }
        }
        return found;
    }

    Optional<String> bridgeOf(long memdevSerial) {
        // Signed or unsigned, as the kernel prints it: a serial of 2^63 or more shows as a
        // negative number on the older kernels.
        return nmems().stream()
                .filter(n -> sysfs.exists(DEVICES + n + "/cxl/id"))
                .filter(n -> sameSerial(sysfs.read(DEVICES + n + "/cxl/id"), memdevSerial))
                .findFirst();
    }

    private static boolean sameSerial(String printed, long serial) {
        try {
            return serial(printed.strip()) == serial;
        } catch (NumberFormatException notASerial) {
            return false;
        }
    }

    Optional<String> nvdimmBySerial(String serial) {
        return nvdimms().stream()
                .filter(n -> serial.equals(optional(n, "nfit/serial").orElse(null)))
                .findFirst();
    }

    /**
     * The DIMM's capacity: the kernel has no {@code nmemX/size}; each nd region over the DIMM shows
     * its share as {@code mappingN} = {@code "nmemX,start,size,position"}
     * (drivers/nvdimm/region_devs.c {@code mappingN()}). 0 when no region maps it.
     */
    long capacity(String nmem) {
        long total = 0;
        for (String region :
                sysfs.list(DEVICES).stream().filter(n -> n.matches("region\\d+")).toList()) {
            for (int i = 0; i < 32 && sysfs.exists(DEVICES + region + "/mapping" + i); i++) {
                String[] mapping = sysfs.read(DEVICES + region + "/mapping" + i).split(",");
                if (mapping.length >= 3 && mapping[0].equals(nmem)) {
                    total += Long.parseUnsignedLong(mapping[2].strip());
                }
            }
        }
        return total;
    }

    /**
     * The nd regions made of NVDIMMs alone (not the nd regions the kernel makes over CXL pmem
     * regions, whose mappings name bridge nmems), by their kernel names ({@code regionN}).
     */
    List<String> nvdimmRegions() {
        List<String> dimms = nvdimms();
        return sysfs.list(DEVICES).stream()
                .filter(n -> n.matches("region\\d+"))
                .filter(r -> !mapped(r).isEmpty() && dimms.containsAll(mapped(r)))
                .toList();
    }

    /**
     * The nmems an nd region maps, in position order ({@code mappingN} = {@code
     * nmemX,start,size,position}).
     */
    List<String> mapped(String region) {
        List<String> nmems = new ArrayList<>();
        for (int i = 0; i < 32 && sysfs.exists(DEVICES + region + "/mapping" + i); i++) {
            nmems.add(sysfs.read(DEVICES + region + "/mapping" + i).split(",")[0].strip());
        }
        return nmems;
    }

    /** Whether the region is enabled: its nd_region driver is bound (then its DIMMs are busy). */
    boolean active(String region) {
        return sysfs.exists(DEVICES + region + "/driver");
    }

    /**
     * The active nd region that maps this DIMM, if any: while there is one the kernel answers EBUSY
     * to erase and overwrite.
     */
    Optional<String> activeRegionOf(String nmem) {
        return sysfs.list(DEVICES).stream()
                .filter(n -> n.matches("region\\d+"))
                .filter(r -> mapped(r).contains(nmem) && active(r))
                .findFirst();
    }

    String regionAttribute(String region, String attribute) {
        return sysfs.read(DEVICES + region + "/" + attribute);
    }

    /** The pmem block devices of the region's namespaces ({@code namespaceN.M/block/pmemX}). */
    List<String> blockDevices(String region) {
        String prefix = "namespace" + region.substring("region".length()) + ".";
        return sysfs.list(DEVICES).stream()
                .filter(n -> n.startsWith(prefix))
                .flatMap(ns -> sysfs.list(DEVICES + ns + "/block").stream())
                .toList();
    }

    Optional<String> optional(String nmem, String attribute) {
        String path = DEVICES + nmem + "/" + attribute;
        return sysfs.exists(path) ? Optional.of(sysfs.read(path)) : Optional.empty();
    }

    /**
     * The DIMM's security state; "disabled" for a DIMM that offers no security commands at all: the
     * kernel then shows no {@code security} attribute (drivers/nvdimm/dimm_devs.c {@code
     * nvdimm_visible()}; seen with QEMU's NVDIMMs), and no passphrase can be set on it.
     */
    String security(String nmem) {
        return hasSecurity(nmem) ? sysfs.read(DEVICES + nmem + "/security") : "disabled";
    }

    /**
     * Whether the kernel tries an unlock when it probes this DIMM: only with a label area, that is
     * with {@code get_data} among its {@code commands} (drivers/nvdimm/dimm.c {@code
     * nvdimm_probe()} returns before {@code nvdimm_security_unlock()} when {@code
     * nvdimm_check_config_data()} answers -ENOTTY; include/uapi/linux/ndctl.h names the command;
     * Debian 6.12.118). Without a {@code commands} attribute it cannot be told, and is assumed.
     */
    boolean probeUnlocks(String nmem) {
        return optional(nmem, "commands")
                .map(c -> List.of(c.strip().split("\\s+")).contains("get_data"))
                .orElse(true);
    }

    boolean hasSecurity(String nmem) {
        return sysfs.exists(DEVICES + nmem + "/security");
    }

    /**
     * Whether the DIMM refuses security commands until reset: {@code frozen} reads 1. The {@code
     * security} attribute never says "frozen" (drivers/nvdimm/dimm_devs.c security_show(),
     * frozen_show()).
     */
    boolean frozen(String nmem) {
        return optional(nmem, "frozen").map("1"::equals).orElse(false);
    }

    /** Whether the nmem is the bridge of a CXL memdev ({@code cxl/id}, or on a CXL nd bus). */
    boolean cxlBridge(String nmem) {
        return sysfs.exists(DEVICES + nmem + "/cxl/id") || cxlBusNmems().contains(nmem);
    }

    /** One security command, such as {@code erase 123}; the kernel parses it. */
    void command(String nmem, String command) {
        sysfs.write(DEVICES + nmem + "/security", command);
    }

    /**
     * Unbind (where bound) and bind the driver: at probe the kernel unlocks a locked DIMM with its
     * key {@code nvdimm:<id>}. A probe that leaves the DIMM locked fails, and the write to {@code
     * bind} answers its error (-EACCES, drivers/base/dd.c): the caller reads the state. (Read in
     * Debian's linux-source-6.12, 6.12.118, by issue 34's review.)
     */
    void reprobe(String nmem) {
        // A DIMM locked at boot failed its probe and has no driver: unbinding it is -ENODEV
        // (drivers/nvdimm/bus.c), and ndctl skips the unbind of a DIMM that is not enabled
        // (ndctl/lib/libndctl.c ndctl_dimm_disable()). Read in Debian's 6.12.118 source.
        if (sysfs.exists(DEVICES + nmem + "/driver")) {
            sysfs.write(DRIVER + "unbind", nmem);
        }
        sysfs.write(DRIVER + "bind", nmem);
    }

    /**
     * The descriptions under which a kernel may look up this DIMM's key at probe: {@code "nvdimm:"
     * + dimm_id} (drivers/nvdimm/security.c {@code nvdimm_request_key()}). An NFIT DIMM's dimm_id
     * is its {@code nfit/id}. A CXL bridge's is its memdev's serial, and kernels differ in how they
     * print it (drivers/cxl/pmem.c {@code cxl_nvdimm_alloc()}): in hex ({@code "%llx"}) up to
     * Debian's 6.12.110, in unsigned decimal ({@code "%llu"}) from 6.12.111 on (its changelog:
     * "cxl/pmem: Format the nvdimm serial number as unsigned decimal", the form ndctl names keys
     * in). Which one runs cannot be read from sysfs for serials below 2^63, and {@code uname} says
     * nothing of backports, so both are answered (one when they coincide, as for serials 0 to 9).
     * {@code cxl/id} is the serial in decimal, signed ({@code "%lld"}) on the older kernels and
     * unsigned on the newer: read either way.
     */
    List<String> keyDescriptions(String nmem) {
        Optional<String> cxlId = optional(nmem, "cxl/id");
        if (cxlId.isPresent()) {
            long serial = serial(cxlId.get().strip());
            String decimal = "nvdimm:" + Long.toUnsignedString(serial);
            String hex = "nvdimm:" + Long.toHexString(serial);
            return decimal.equals(hex) ? List.of(decimal) : List.of(decimal, hex);
        }
        return List.of("nvdimm:" + optional(nmem, "nfit/id").orElse(nmem));
    }

    /** A serial printed as signed or unsigned decimal. */
    static long serial(String decimal) {
        return decimal.startsWith("-") ? Long.parseLong(decimal) : Long.parseUnsignedLong(decimal);
    }
}
