package io.lethe.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The CXL part of the kernel ABI (docs/kernel.md): memdevs, their endpoint ports and the regions
 * whose targets name endpoint decoders.
 */
@Component
class CxlBus {

    static final String DEVICES = "sys/bus/cxl/devices/";

    private final Sysfs sysfs;

    CxlBus(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    Sysfs sysfs() {
        return sysfs;
    }

    List<String> memdevs() {
        return sysfs.list(DEVICES).stream().filter(n -> n.matches("mem\\d+")).toList();
    }

    List<String> regions() {
        return sysfs.list(DEVICES).stream().filter(n -> n.matches("region\\d+")).toList();
    }

    boolean regionExists(String region) {
        return region.matches("region\\d+") && sysfs.exists(DEVICES + region);
    }

    String attribute(String device, String name) {
        return sysfs.read(DEVICES + device + "/" + name);
    }

    boolean has(String device, String name) {
        return sysfs.exists(DEVICES + device + "/" + name);
    }

    void write(String device, String name, String value) {
        sysfs.write(DEVICES + device + "/" + name, value);
    }

    Optional<String> memdevBySerial(String serial) {
        return memdevs().stream().filter(m -> serial.equals(attribute(m, "serial"))).findFirst();
    }

    /** The endpoint port whose {@code uport} link points at the memdev. */
    Optional<String> endpointOf(String memdev) {
        return sysfs.list(DEVICES).stream()
                .filter(n -> n.matches("endpoint\\d+"))
                .filter(
                        e ->
                                sysfs.exists(DEVICES + e + "/uport")
                                        && memdev.equals(sysfs.linkTarget(DEVICES + e + "/uport")))
                .findFirst();
    }

    /**
     * Committed decoders of the memdev's endpoint; an erase is refused (EBUSY) while this is not 0.
     */
    int decodersCommitted(String memdev) {
        return endpointOf(memdev)
                .map(e -> Integer.parseInt(attribute(e, "decoders_committed")))
                .orElse(0);
    }

    /**
     * Member memdevs in target order: {@code targetN} names {@code decoderE.D}, of {@code
     * endpointE}, whose uport is the memdev. Empty for a region still being assembled: the kernel
     * shows an unset target as an empty line (drivers/cxl/core/region.c {@code show_targetN()}).
     */
    List<String> targets(String region) {
        int ways = Integer.parseInt(attribute(region, "interleave_ways"));
        List<String> members = new ArrayList<>();
        for (int i = 0; i < ways; i++) {
            String decoder = attribute(region, "target" + i);
            if (decoder.isBlank() || decoder.indexOf('.') < 0) {
                return List.of();
            }
            String endpoint =
                    "endpoint" + decoder.substring("decoder".length(), decoder.indexOf('.'));
            members.add(sysfs.linkTarget(DEVICES + endpoint + "/uport"));
        }
        return members;
    }

    boolean committed(String region) {
        return "1".equals(attribute(region, "commit"));
    }

    long number(String device, String name) {
        return parse(attribute(device, name));
    }

    /** A number as the kernel prints it: {@code 0x1a2b} in hex, or decimal. */
    static long parse(String text) {
        return text.startsWith("0x")
                ? Long.parseUnsignedLong(text.substring(2), 16)
                : Long.parseUnsignedLong(text);
    }
}
