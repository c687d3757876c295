package io.lethe.agent;

import io.lethe.agent.SysfsError.Errno;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test fixture: a directory tree with the layout of the kernel's CXL and NVDIMM sysfs ABI
 * (docs/kernel.md) and the kernel's behaviour behind it. The agent reads and writes real files;
 * this class stands where the kernel would and reacts to the writes: sanitize runs for a while and
 * then reads {@code disabled}, erases are refused with EBUSY while decoders are committed, a region
 * commit invalidates caches first and is refused with ENXIO in a VM, nvdimm security commands are
 * parsed, a DIMM freezes after 3 wrong passphrases. Every kernel-visible effect is appended to
 * {@code emulator/events}, so a test (in this process or another) can check their order.
 */
public final class EmulatedKernel implements Sysfs, Keyring {

    private boolean keysUnusable;
    public static final int MEDIA = 4096;
    public static final int GRANULARITY = 256;
    static final String CXL = "sys/bus/cxl/devices/";
    static final String ND = "sys/bus/nd/devices/";
    static final String NVDIMM_DRIVER_LINK = "../../../../bus/nd/drivers/nvdimm";
    private static final Pattern MEMDEV_ATTR =
            Pattern.compile(CXL + "(mem\\d+)/security/(sanitize|erase)");
    private static final Pattern REGION_COMMIT = Pattern.compile(CXL + "(region\\d+)/commit");
    private static final Pattern NMEM_SECURITY = Pattern.compile(ND + "(nmem\\d+)/security");
    private static final Pattern DAX = Pattern.compile("dev/dax(\\d+)\\.0");
    static final String DAX_DEVICES = "sys/bus/dax/devices/";
    static final String REGION_BIND = "sys/bus/cxl/drivers/cxl_region/bind";
    static final String ND_REGION_DRIVER = "sys/bus/nd/drivers/nd_region/";

    /**
     * DIMMs a security command made incoherent: enabling a region over them must invalidate caches
     * first.
     */
    private final Set<String> incoherent = new HashSet<>();

    static final String MEMORY = "sys/devices/system/memory/";

    /** The emulated dax devices' mapping alignment: a page, the smallest device DAX allows. */
    public static final int ALIGN = 4096;

    /** The kernel numbers dax devices on its own: regionZ's is not daxZ.0 here either. */
    static final int DAX_NUMBER_OFFSET = 20;

    private final Set<String> busyMemory = new HashSet<>();

    /**
     * Dax devices created by a region probe whose device_dax probe has not run yet, with when it
     * will.
     */
    private final Map<String, Instant> daxProbes = new HashMap<>();

    static final Duration DAX_PROBE = Duration.ofMillis(200);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final FileSysfs files;
    private final Duration sanitizeTime;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Instant> running = new HashMap<>();
    private final Map<String, byte[]> passphrases = new HashMap<>();

    /** DIMMs whose master passphrase is enabled, by nmem: the passphrase as a key payload. */
    private final Map<String, byte[]> masters = new HashMap<>();

    private final Map<String, Integer> wrong = new HashMap<>();
    private final Map<Long, String[]> keys = new HashMap<>();
    private final AtomicLong nextKey = new AtomicLong(1000);
    private KeyNaming keyNaming = KeyNaming.DECIMAL_SINCE_6_12_111;
    private final java.util.Set<String> mailboxFails = new java.util.HashSet<>();
    private long events;

    private EmulatedKernel(Path root, Duration sanitizeTime) {
        this.root = root;
        this.files = new FileSysfs(root);
        this.sanitizeTime = sanitizeTime;
    }

    /**
     * A memdev {@code memN} with serial {@code 0x1000 + N}; a passphrase makes it locked (or
     * unlocked) behind a bridge nmemN.
     */
    public record Memdev(int number, long serialNumber, String passphrase, boolean locked) {
        public String name() {
            return "mem" + number;
        }

        public String serial() {
            return "0x" + Long.toHexString(serialNumber);
        }
    }

    /** An NVDIMM {@code nmemN} of its own (not a bridge). */
    public record Nvdimm(int number, long serialNumber, String passphrase) {
        public String serial() {
            return "0x" + String.format("%08x", serialNumber);
        }
    }

    /** A region over memdevs in target order. */
    public record Region(int number, List<Integer> memdevs, boolean committed) {}

    /**
     * The tree the tests share: region0 (committed) over mem0 and mem1, disabled; mem2 locked with
     * {@code passphrase} alone in region1 (not committed: a locked device cannot decode); mem3
     * disabled alone in region2 (committed); and nmem100, an NVDIMM without passphrase.
     */
    public static EmulatedKernel standard(
            Path root, String passphrase, boolean hypervisor, Duration sanitizeTime) {
        return standard(root, passphrase, hypervisor, sanitizeTime, 0x1000);
    }

    /**
     * The standard tree with memdev serials from {@code serialBase} (so several hosts can share one
     * inventory).
     */
    public static EmulatedKernel standard(
            Path root,
            String passphrase,
            boolean hypervisor,
            Duration sanitizeTime,
            long serialBase) {
        return build(
                root,
                hypervisor,
                sanitizeTime,
                List.of(
                        new Memdev(0, serialBase, null, false),
                                new Memdev(1, serialBase + 1, null, false),
                        new Memdev(2, serialBase + 2, passphrase, true),
                                new Memdev(3, serialBase + 3, null, false)),
                List.of(new Nvdimm(100, 0xd0000 + serialBase + 100, null)),
                List.of(
                        new Region(0, List.of(0, 1), true),
                        new Region(1, List.of(2), false),
                        new Region(2, List.of(3), true)));
    }

    public static EmulatedKernel build(
            Path root,
            boolean hypervisor,
            Duration sanitizeTime,
            List<Memdev> memdevs,
            List<Nvdimm> nvdimms,
            List<Region> regions) {
        EmulatedKernel kernel = new EmulatedKernel(root.toAbsolutePath(), sanitizeTime);
        kernel.create(hypervisor, memdevs, nvdimms, regions);
        return kernel;
    }

    private void create(
            boolean hypervisor, List<Memdev> memdevs, List<Nvdimm> nvdimms, List<Region> regions) {
        file(
                "proc/cpuinfo",
                "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme de pse tsc msr pae clflush"
                        + (hypervisor ? " hypervisor" : "")
                        + " wbnoinvd\n");
        // the symbol Invalidations looks for: the kernel can invalidate CPU caches at region commit
        file(
                "proc/kallsyms",
                "0000000000000000 T cpu_cache_has_invalidate_memregion\n"
                        + "0000000000000000 T cpu_cache_invalidate_memregion\n0000000000000000 T wbinvd_on_all_cpus\n");
        file("sys/bus/nd/drivers/nvdimm/bind", "");
        file("sys/bus/nd/drivers/nvdimm/unbind", "");
        file(REGION_BIND, "");
        file(ND_REGION_DRIVER + "bind", "");
        file(ND_REGION_DRIVER + "unbind", "");
        dir("sys/bus/dax/drivers/device_dax");
        dir("sys/bus/dax/drivers/kmem");
        // drivers/base/memory.c block_size_bytes_show(): "%lx", hex without 0x (128 MiB here)
        file(MEMORY + "block_size_bytes", "8000000");
        file("emulator/events", "");
        file("proc/sys/kernel/hostname", "lethe-test-host");
        for (Memdev m : memdevs) {
            String dir = CXL + m.name() + "/";
            file(dir + "serial", m.serial());
            file(dir + "firmware_version", "1.4." + m.number());
            file(dir + "ram/size", "0x0");
            file(dir + "pmem/size", "0x" + Long.toHexString(MEDIA));
            file(
                    dir + "security/state",
                    m.passphrase() == null ? "disabled" : m.locked() ? "locked" : "unlocked");
            file(dir + "security/sanitize", "");
            file(dir + "security/erase", "");
            String endpoint = CXL + "endpoint" + (10 + m.number()) + "/";
            file(endpoint + "decoders_committed", "0");
            link(endpoint + "uport", "../" + m.name());
            dir(CXL + "decoder" + (10 + m.number()) + ".0");
            media(m.name(), true);
            // Every memdev with persistent memory gets a bridge nmem, with or without a
            // passphrase (seen on Debian's 6.12.118 with QEMU 10: nmem0 and nmem1, security
            // "disabled").
            String nmem = ND + "nmem" + m.number() + "/";
            // drivers/cxl/pmem.c id_show(): sysfs_emit(buf, "%lld\n", cxlds->serial), signed.
            file(nmem + "cxl/id", Long.toUnsignedString(m.serialNumber()));
            file(
                    nmem + "security",
                    m.passphrase() == null ? "disabled" : m.locked() ? "locked" : "unlocked");
            file(nmem + "frozen", "0");
            // drivers/nvdimm/dimm.c nvdimm_probe(): a DIMM locked at boot has its label area
            // locked, its probe fails, and it is left without a driver
            if (!m.locked()) {
                link(nmem + "driver", NVDIMM_DRIVER_LINK);
            }
            if (m.passphrase() != null) {
                passphrases.put("nmem" + m.number(), hash(m.passphrase()));
            }
        }
        for (Nvdimm n : nvdimms) {
            String nmem = ND + "nmem" + n.number() + "/";
            file(nmem + "nfit/serial", n.serial());
            // drivers/acpi/nfit/core.c: the DIMM's id, "%04x-%02x-%04x-%08x" (vendor, location,
            // date, serial), which is also the nvdimm's dimm_id, the name its keys are looked up
            // by.
            file(nmem + "nfit/id", String.format("8089-00-0000-%08x", n.serialNumber()));
            file(nmem + "nfit/vendor", "0x8089");
            file(nmem + "nfit/device", "0x0979");
            // No nmemX/size: the kernel has none. A DIMM's capacity shows in the mappings of the nd
            // regions over it, "nmemX,start,size,position" (drivers/nvdimm/region_devs.c
            // mappingN()).
            String ndRegion = ND + "region" + n.number() + "/";
            file(ndRegion + "mapping0", "nmem" + n.number() + ",0," + MEDIA + ",0");
            file(
                    ndRegion + "resource",
                    "0x" + Long.toHexString(0x20_0000_0000L + n.number() * 0x1000_0000L));
            file(ndRegion + "size", Integer.toString(MEDIA));
            // enabled, with a devdax namespace over the whole region
            link(ndRegion + "driver", "../../../../bus/nd/drivers/nd_region");
            ndDax("region" + n.number());
            daxProbed("region" + n.number());
            file(nmem + "security", n.passphrase() == null ? "disabled" : "unlocked");
            file(nmem + "frozen", "0");
            link(nmem + "driver", NVDIMM_DRIVER_LINK);
            if (n.passphrase() != null) {
                passphrases.put("nmem" + n.number(), hash(n.passphrase()));
            }
            media("nmem" + n.number(), true);
        }
        for (Region r : regions) {
            String dir = CXL + "region" + r.number() + "/";
            file(
                    dir + "resource",
                    "0x" + Long.toHexString(0x10_0000_0000L + r.number() * 0x1000_0000L));
            file(dir + "size", "0x" + Long.toHexString((long) MEDIA * r.memdevs().size()));
            file(dir + "interleave_ways", Integer.toString(r.memdevs().size()));
            file(dir + "interleave_granularity", Integer.toString(GRANULARITY));
            for (int i = 0; i < r.memdevs().size(); i++) {
                file(dir + "target" + i, "decoder" + (10 + r.memdevs().get(i)) + ".0");
                if (r.committed()) {
                    file(CXL + "endpoint" + (10 + r.memdevs().get(i)) + "/decoders_committed", "1");
                }
            }
            file(dir + "commit", r.committed() ? "1" : "0");
            if (r.committed()) {
                bindRegion("region" + r.number(), true);
            }
        }
    }

    public Path root() {
        return root;
    }

    // ---- the kernel's side of each file ----

    @Override
    public synchronized String read(String path) {
        settle();
        if (path.equals("proc/cpuinfo")) {
            event("cpuinfo read");
        }
        return files.read(path);
    }

    @Override
    public synchronized void write(String path, String value) {
        settle();
        Matcher m;
        if ((m = MEMDEV_ATTR.matcher(path)).matches()) {
            memdevCommand(path, m.group(1), m.group(2), value);
        } else if ((m = REGION_COMMIT.matcher(path)).matches()) {
            commit(path, m.group(1), value);
        } else if ((m = NMEM_SECURITY.matcher(path)).matches()) {
            nvdimmCommand(path, m.group(1), value.strip());
        } else if (path.equals("sys/bus/nd/drivers/nvdimm/bind")) {
            probe(path, value.strip());
        } else if (path.equals(ND_REGION_DRIVER + "bind")) {
            ndRegionProbe(path, value.strip());
        } else if (path.equals(ND_REGION_DRIVER + "unbind")) {
            ndRegionRemove(path, value.strip());
        } else if (path.equals(REGION_BIND)) {
            regionProbe(path, value.strip());
        } else if (path.startsWith(MEMORY) && path.endsWith("/state")) {
            memoryState(path, value.strip());
        } else if (path.equals("sys/bus/nd/drivers/nvdimm/unbind")) {
            unbind(path, value.strip());
        } else {
            files.write(path, value);
        }
    }

    private void memdevCommand(String path, String memdev, String command, String value) {
        if (!value.strip().equals("1")) {
            throw new SysfsError(Errno.EINVAL, path);
        }
        // drivers/cxl/core/mbox.c cxl_mem_sanitize() (Debian 6.12.118): -EBUSY with committed
        // decoders; then
        // drivers/cxl/core/mbox.c __cxl_mem_sanitize(): -EINVAL while a user passphrase is set, for
        // sanitize and secure erase alike (locked or not).
        if (decoders(memdev) != 0) {
            throw new SysfsError(Errno.EBUSY, path);
        }
        String state = files.read(CXL + memdev + "/security/state");
        if (!state.equals("disabled")) {
            throw new SysfsError(Errno.EINVAL, path);
        }
        if (command.equals("sanitize")) {
            files.write(CXL + memdev + "/security/state", "sanitize");
            running.put(memdev, clock.instant().plus(sanitizeTime));
            event(memdev + " sanitize started");
        } else if (backgroundSecureErase.remove(memdev)) {
            // drivers/cxl/pci.c __cxl_pci_mbox_send_cmd(): a command the device runs in the
            // background is waited for poll_count times, and secure erase has none
            // (drivers/cxl/core/mbox.c __cxl_mem_sanitize()): -ETIMEDOUT at once, while the device
            // goes on erasing
            event(memdev + " secure-erase runs on in the background");
            throw new SysfsError(Errno.ETIMEDOUT, path);
        } else {
            media(memdev, true);
            event(memdev + " secure-erase completed");
        }
    }

    private final java.util.Set<String> backgroundSecureErase = new java.util.HashSet<>();
    private final java.util.Set<String> notReady = new java.util.HashSet<>();

    /** The device runs its next secure erase in the background, as some devices do. */
    public synchronized EmulatedKernel secureEraseInBackground(String memdev) {
        backgroundSecureErase.add(memdev);
        return this;
    }

    /**
     * The region is not ready to commit (its size, targets or decoders are not all set): {@code
     * commit_store()} answers -ENXIO before it invalidates (drivers/cxl/core/region.c, Debian
     * 6.12.118).
     */
    public synchronized EmulatedKernel notReadyToCommit(String region) {
        notReady.add(region);
        return this;
    }

    /**
     * The NFIT DIMM has no label area and is locked at boot: its probe returns before it tries to
     * unlock ({@code nvdimm_check_config_data()} answers -ENOTTY without {@code get_data} among its
     * commands; drivers/nvdimm/dimm.c {@code nvdimm_probe()}).
     */
    public synchronized EmulatedKernel labelLessAndLocked(String nmem, String passphrase) {
        file(ND + nmem + "/commands", "smart flags cmd_call");
        files.write(ND + nmem + "/security", "locked");
        passphrases.put(nmem, hash(passphrase));
        return this;
    }

    private void commit(String path, String region, String value) {
        String dir = CXL + region + "/";
        boolean committed = files.read(dir + "commit").equals("1");
        int ways = Integer.parseInt(files.read(dir + "interleave_ways"));
        switch (value.strip()) {
            case "1" -> {
                if (committed) {
                    return;
                }
                if (notReady.contains(region)) {
                    event(region + " commit refused: not ready (ENXIO)");
                    throw new SysfsError(Errno.ENXIO, path);
                }
                if (hypervisor()) {
                    // cxl_region_invalidate_memregion(): no cpu_cache_invalidate_memregion() in a
                    // guest
                    event(region + " commit refused: cannot invalidate caches (ENXIO)");
                    throw new SysfsError(Errno.ENXIO, path);
                }
                event(region + " caches invalidated");
                for (int i = 0; i < ways; i++) {
                    files.write(CXL + endpointOfTarget(dir, i) + "/decoders_committed", "1");
                }
                files.write(path, "1");
                event(region + " committed");
            }
            case "0" -> {
                if (!committed) {
                    return;
                }
                if (hypervisor()) {
                    // commit_store() invalidates before a reset too
                    event(region + " reset refused: cannot invalidate caches (ENXIO)");
                    throw new SysfsError(Errno.ENXIO, path);
                }
                // commit_store(): device_release_driver() first, so the region's dax device goes
                // away; kmem would pull System RAM that is still online from under the system
                String dax = daxName(region);
                if (files.exists(DAX_DEVICES + dax + "/driver")
                        && files.linkTarget(DAX_DEVICES + dax + "/driver").equals("kmem")
                        && onlineMemory(region)) {
                    event(region + " reset with System RAM online");
                }
                daxProbes.remove(region);
                delete(DAX_DEVICES + dax);
                delete("dev/" + dax);
                delete(dir + "driver");
                event(region + " driver released");
                event(region + " caches invalidated");
                for (int i = 0; i < ways; i++) {
                    files.write(CXL + endpointOfTarget(dir, i) + "/decoders_committed", "0");
                }
                files.write(path, "0");
                event(region + " reset");
            }
            default -> throw new SysfsError(Errno.EINVAL, path);
        }
    }

    private void nvdimmCommand(String path, String nmem, String command) {
        String[] words = command.split("\\s+");
        // drivers/nvdimm/security.c: every security operation of a frozen DIMM fails with -EIO.
        if (frozen(nmem) && !words[0].equals("freeze")) {
            throw new SysfsError(Errno.EIO, path);
        }
        if (mailboxFails.remove(nmem) && bridged(nmem) != null) {
            throw new SysfsError(Errno.ENXIO, path);
        }
        switch (words[0]) {
            // "freeze" sets the frozen flag; security_show() never prints it, frozen_show() does.
            case "freeze" -> freeze(nmem);
            case "disable" -> {
                checkKey(path, nmem, words);
                passphrases.remove(nmem);
                setState(nmem, "disabled");
            }
            case "erase", "master_erase" -> {
                String memdev = bridged(nmem);
                if (memdev != null && decoders(memdev) != 0
                        || memdev == null && inEnabledRegion(nmem)) {
                    throw new SysfsError(Errno.EBUSY, path);
                }
                if (words[0].equals("master_erase")) {
                    checkMasterKey(path, nmem, words);
                } else {
                    checkKey(path, nmem, words);
                }
                // only an erase the DIMM took (security_erase(), Debian 6.12.118: rc == 0)
                incoherent.add(nmem);
                media(memdev != null ? memdev : nmem, true);
                passphrases.remove(nmem);
                setState(nmem, "disabled");
                event((memdev != null ? memdev : nmem) + " passphrase-erase completed");
            }
            case "overwrite" -> {
                // security_overwrite(): -EBUSY while the DIMM is busy (an enabled region maps it)
                if (inEnabledRegion(nmem)) {
                    throw new SysfsError(Errno.EBUSY, path);
                }
                if (passphrases.containsKey(nmem)) {
                    checkKey(path, nmem, words);
                }
                incoherent.add(nmem);
                files.write(path, "overwrite");
                running.put(nmem, clock.instant().plus(sanitizeTime));
                event(nmem + " overwrite started");
            }
            default -> throw new SysfsError(Errno.EINVAL, path);
        }
    }

    private boolean inEnabledRegion(String nmem) {
        return files.list(ND).stream()
                .filter(r -> r.matches("region\\d+"))
                .filter(r -> files.exists(ND + r + "/driver") && files.exists(ND + r + "/mapping0"))
                .anyMatch(r -> files.read(ND + r + "/mapping0").startsWith(nmem + ","));
    }

    /**
     * nd_region_probe(): nd_region_activate() invalidates CPU caches when a DIMM of the region is
     * incoherent after a security command, and fails with -ENXIO where it cannot (a guest)
     * (drivers/nvdimm/region_devs.c); then the namespaces and their dax devices come back.
     */
    private void ndRegionProbe(String path, String region) {
        String dir = ND + region + "/";
        if (!files.exists(dir + "mapping0")) {
            throw new SysfsError(Errno.ENOENT, path);
        }
        if (files.exists(dir + "driver")) {
            throw new SysfsError(Errno.EBUSY, path);
        }
        String nmem = files.read(dir + "mapping0").split(",")[0];
        if (incoherent.contains(nmem)) {
            if (hypervisor()) {
                event("nd-" + region + " enable refused: cannot invalidate caches (ENXIO)");
                throw new SysfsError(Errno.ENXIO, path);
            }
            incoherent.remove(nmem);
            event("nd-" + region + " caches invalidated");
        }
        link(dir + "driver", "../../../../bus/nd/drivers/nd_region");
        ndDax(region);
        daxProbes.put(region, clock.instant().plus(DAX_PROBE));
        event("nd-" + region + " enabled");
    }

    /** Unbinding the region driver takes its namespaces and dax devices with it; it cannot fail. */
    private void ndRegionRemove(String path, String region) {
        String dir = ND + region + "/";
        if (!files.exists(dir + "driver")) {
            throw new SysfsError(Errno.ENODEV, path);
        }
        daxProbes.remove(region);
        delete(DAX_DEVICES + daxName(region));
        delete("dev/" + daxName(region));
        delete(dir + "driver");
        event("nd-" + region + " disabled");
    }

    private void ndDax(String region) {
        String dax = DAX_DEVICES + daxName(region) + "/";
        file(dax + "resource", files.read(ND + region + "/resource"));
        file(dax + "size", files.read(ND + region + "/size"));
        file(dax + "align", Integer.toString(ALIGN));
    }

    /**
     * drivers/nvdimm/bus.c: unbinding a device without a driver is -ENODEV (device_driver_detach()
     * finds none to release, and the bus's unbind_store() answers -ENODEV).
     */
    private void unbind(String path, String nmem) {
        if (!files.exists(ND + nmem + "/driver")) {
            throw new SysfsError(Errno.ENODEV, path);
        }
        delete(ND + nmem + "/driver");
        event(nmem + " unbound");
    }

    /**
     * At probe a locked DIMM is unlocked with the key {@code nvdimm:<id>} from the keyring; a DIMM
     * still locked after it fails its probe (its label area cannot be read): the write to {@code
     * bind} answers that probe's error, -EACCES (drivers/base/dd.c), and the DIMM has no driver.
     */
    private void probe(String path, String nmem) {
        String security = ND + nmem + "/security";
        if (!files.exists(security)) {
            throw new SysfsError(Errno.ENXIO, path);
        }
        if (files.exists(ND + nmem + "/driver")) {
            throw new SysfsError(Errno.EBUSY, path);
        }
        boolean labelArea =
                !files.exists(ND + nmem + "/commands")
                        || List.of(files.read(ND + nmem + "/commands").split("\\s+"))
                                .contains("get_data");
        if (!labelArea) {
            // nvdimm_probe(): no label area, the probe succeeds before it tries to unlock
            link(ND + nmem + "/driver", NVDIMM_DRIVER_LINK);
            event(nmem + " bound without an unlock (no label area)");
            return;
        }
        if (files.read(security).equals("locked")) {
            if (!frozen(nmem)) {
                unlockAtProbe(nmem);
            }
            if (files.read(security).equals("locked")) {
                event(nmem + " probe failed");
                throw new SysfsError(Errno.EACCES, path);
            }
        }
        link(ND + nmem + "/driver", NVDIMM_DRIVER_LINK);
        event(nmem + " bound");
    }

    private void unlockAtProbe(String nmem) {
        // drivers/nvdimm/security.c nvdimm_request_key(): "nvdimm:" + dimm_id. For a CXL memdev's
        // bridge nmem, drivers/cxl/pmem.c cxl_nvdimm_alloc() prints the serial into dimm_id: "%llu"
        // since Debian's 6.12.111, "%llx" before (keyNaming); for an NFIT DIMM it is nfit/id.
        String description;
        if (files.exists(ND + nmem + "/cxl/id")) {
            long serial = serialOf(files.read(ND + nmem + "/cxl/id"));
            description =
                    "nvdimm:"
                            + (keyNaming == KeyNaming.DECIMAL_SINCE_6_12_111
                                    ? Long.toUnsignedString(serial)
                                    : Long.toHexString(serial));
        } else {
            description = "nvdimm:" + files.read(ND + nmem + "/nfit/id");
        }
        byte[] offered =
                keys.values().stream()
                        .filter(k -> k[0].equals(description))
                        .map(k -> k[1].getBytes(StandardCharsets.ISO_8859_1))
                        .findFirst()
                        .orElse(null);
        if (offered != null && Arrays.equals(offered, passphrases.get(nmem))) {
            wrong.remove(nmem);
            setState(nmem, "unlocked");
            event(nmem + " unlocked");
        } else {
            countWrong(nmem);
            event(nmem + " unlock failed");
        }
    }

    private void checkKey(String path, String nmem, String[] words) {
        if (words.length < 2) {
            throw new SysfsError(Errno.EINVAL, path);
        }
        String[] key = keys.get(Long.parseLong(words[1]));
        // nvdimm_lookup_user_key(): a key the kernel cannot use (not an encrypted key of 32 bytes)
        // is -ENOKEY, and nothing reaches the device.
        if (key == null || keysUnusable) {
            throw new SysfsError(Errno.ENOKEY, path);
        }
        if (passphrases.get(nmem) == null) {
            // No passphrase set: nothing to compare, nothing counted. CXL answers a return code
            // other than PASSPHRASE (invalid security state; QEMU 10 answers unsupported), -ENXIO
            // as well; Intel's DSM ND_INTEL_STATUS_INVALID_STATE, -ENXIO
            // (drivers/acpi/nfit/intel.c).
            throw new SysfsError(Errno.ENXIO, path);
        }
        if (!Arrays.equals(key[1].getBytes(StandardCharsets.ISO_8859_1), passphrases.get(nmem))) {
            countWrong(nmem);
            // A wrong passphrase reached the device: CXL answers it with the mailbox return code
            // PASSPHRASE, -ENXIO (drivers/cxl/cxlmem.h, the return-code table); Intel's NFIT DSM
            // with -EINVAL (drivers/acpi/nfit/intel.c).
            throw new SysfsError(bridged(nmem) != null ? Errno.ENXIO : Errno.EINVAL, path);
        }
        wrong.remove(nmem);
    }

    /**
     * {@code security_erase()} with {@code NVDIMM_MASTER} (drivers/nvdimm/security.c): refused
     * before any key is looked up unless the DIMM's master passphrase is enabled (-EOPNOTSUPP,
     * "wrong master state"); a wrong one is the device's INVALID_PASS (-EINVAL from the NFIT DSM,
     * drivers/acpi/nfit/intel.c; -ENXIO from a CXL mailbox) and counts nothing, and a right one
     * clears the user passphrase and keeps the master's (tools/testing/nvdimm/test/nfit.c {@code
     * nd_intel_test_cmd_master_secure_erase()}). Read in Debian's 6.12.118 sources; KernelIT's
     * nfit_test guest answers so.
     */
    private void checkMasterKey(String path, String nmem, String[] words) {
        if (!masters.containsKey(nmem)) {
            throw new SysfsError(Errno.EOPNOTSUPP, path);
        }
        String[] key = words.length < 2 ? null : keys.get(Long.parseLong(words[1]));
        if (key == null || keysUnusable) {
            throw new SysfsError(Errno.ENOKEY, path);
        }
        if (!Arrays.equals(key[1].getBytes(StandardCharsets.ISO_8859_1), masters.get(nmem))) {
            throw new SysfsError(bridged(nmem) != null ? Errno.ENXIO : Errno.EINVAL, path);
        }
    }

    /** Enables the DIMM's master passphrase (ndctl setup-passphrase --master-passphrase). */
    public synchronized EmulatedKernel masterPassphrase(String nmem, String passphrase) {
        masters.put(nmem, hash(passphrase));
        return this;
    }

    /** Wrong passphrases someone else (ndctl) sent the device: the agent did not see them. */
    public synchronized void wrongElsewhere(String nmem, int times) {
        for (int i = 0; i < times; i++) {
            countWrong(nmem);
        }
    }

    /**
     * The next security command of this DIMM fails in the mailbox for a reason other than the
     * passphrase (busy, say): a CXL bridge answers it with -ENXIO like a wrong passphrase
     * (drivers/cxl/cxlmem.h maps eight return codes to it), and the device counts nothing.
     */
    public synchronized void mailboxFailsOnce(String nmem) {
        mailboxFails.add(nmem);
    }

    /** A cold reset: the device has its passphrase attempts back and is no longer frozen. */
    public synchronized void powerCycle(String nmem) {
        wrong.remove(nmem);
        files.write(ND + nmem + "/frozen", "0");
        String memdev = bridged(nmem);
        if (memdev != null) {
            files.write(CXL + memdev + "/security/state", files.read(ND + nmem + "/security"));
        }
    }

    private void countWrong(String nmem) {
        if (wrong.merge(nmem, 1, Integer::sum) >= 3) {
            freeze(nmem);
        }
    }

    /**
     * The device refuses security commands: the nmem's {@code frozen} reads 1 (its {@code security}
     * keeps its value), and a CXL memdev's {@code security/state} reads "frozen", which also covers
     * the passphrase limits (drivers/cxl/core/memdev.c security_state_show()).
     */
    private void freeze(String nmem) {
        files.write(ND + nmem + "/frozen", "1");
        String memdev = bridged(nmem);
        if (memdev != null) {
            files.write(CXL + memdev + "/security/state", "frozen");
        }
    }

    private boolean frozen(String nmem) {
        return files.exists(ND + nmem + "/frozen") && files.read(ND + nmem + "/frozen").equals("1");
    }

    /**
     * From now on the keyring holds keys the kernel cannot use (as a {@code user} key would be).
     */
    public synchronized void keysUnusable(boolean unusable) {
        keysUnusable = unusable;
    }

    /**
     * Sanitize and overwrite that have run their time are done: media cleared, security disabled.
     */
    private void settle() {
        Instant now = clock.instant();
        for (var it = daxProbes.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!entry.getValue().isAfter(now)) {
                it.remove();
                if (files.exists(DAX_DEVICES + daxName(entry.getKey()) + "/resource")) {
                    daxProbed(entry.getKey());
                }
            }
        }
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!entry.getValue().isAfter(now)) {
                it.remove();
                String device = entry.getKey();
                media(device, false);
                if (device.startsWith("mem")) {
                    files.write(CXL + device + "/security/state", "disabled");
                    event(device + " sanitize completed");
                } else {
                    passphrases.remove(device);
                    files.write(ND + device + "/security", "disabled");
                    event(device + " overwrite completed");
                }
            }
        }
    }

    private void setState(String nmem, String state) {
        files.write(ND + nmem + "/security", state);
        String memdev = bridged(nmem);
        if (memdev != null) {
            files.write(CXL + memdev + "/security/state", state);
        }
    }

    private String bridged(String nmem) {
        return files.exists(ND + nmem + "/cxl/id") ? "mem" + nmem.substring(4) : null;
    }

    private int decoders(String memdev) {
        return Integer.parseInt(
                files.read(
                        CXL
                                + "endpoint"
                                + (10 + Integer.parseInt(memdev.substring(3)))
                                + "/decoders_committed"));
    }

    private String endpointOfTarget(String regionDir, int i) {
        String decoder = files.read(regionDir + "target" + i);
        return "endpoint" + decoder.substring("decoder".length(), decoder.indexOf('.'));
    }

    private boolean hypervisor() {
        return files.read("proc/cpuinfo").contains(" hypervisor");
    }

    // ---- DAX: the CPU's view of a committed region, interleaved over its members' media ----

    /**
     * Device DAX's only access, {@code mmap}: refused with EINVAL unless offset and length are
     * multiples of the device's {@code align} (drivers/dax/device.c {@code check_vma()}), ENXIO
     * once the device is gone. Bytes go to the members' media as the region interleaves them.
     */
    @Override
    public synchronized Mapping map(String path, long offset, long length) {
        settle();
        Matcher m = DAX.matcher(path);
        if (!m.matches() || !files.exists(path)) {
            throw new SysfsError(
                    files.exists(DAX_DEVICES + path.substring(4) + "/resource")
                            ? Errno.ENXIO
                            : Errno.ENOENT,
                    path);
        }
        if (offset % ALIGN != 0 || length % ALIGN != 0 || length == 0) {
            throw new SysfsError(Errno.EINVAL, path);
        }
        String region = "region" + (Integer.parseInt(m.group(1)) - DAX_NUMBER_OFFSET);
        if (!files.exists(DAX_DEVICES + daxName(region) + "/driver")) {
            throw new SysfsError(Errno.ENXIO, path);
        }
        if (offset + length > Long.parseLong(files.read(DAX_DEVICES + daxName(region) + "/size"))) {
            throw new SysfsError(Errno.ENXIO, path);
        }
        event(region + " mapped through " + daxName(region));
        EmulatedKernel kernel = this;
        return new Mapping() {
            @Override
            public byte[] read(long at, int n) {
                synchronized (kernel) {
                    byte[] out = new byte[n];
                    dax(
                            path,
                            region,
                            offset + at,
                            n,
                            (media, i, done, k) -> System.arraycopy(media, i, out, done, k),
                            false);
                    return out;
                }
            }

            @Override
            public void write(long at, byte[] bytes) {
                synchronized (kernel) {
                    dax(
                            path,
                            region,
                            offset + at,
                            bytes.length,
                            (media, i, done, k) -> System.arraycopy(bytes, done, media, i, k),
                            true);
                }
            }

            @Override
            public void close() {}
        };
    }

    /** The CPU's view of a committed region, as a test reads it to check the agent. */
    public synchronized byte[] cpuView(int region, long offset, int length) {
        byte[] out = new byte[length];
        dax(
                "dev/" + daxName("region" + region),
                "region" + region,
                offset,
                length,
                (media, at, done, n) -> System.arraycopy(media, at, out, done, n),
                false);
        return out;
    }

    /** The name the emulated kernel gives the region's dax device. */
    public static String daxName(String region) {
        return "dax"
                + (Integer.parseInt(region.substring("region".length())) + DAX_NUMBER_OFFSET)
                + ".0";
    }

    /**
     * cxl_region_probe(): a region that is not committed does not probe (-ENXIO); a bound one is
     * refused by the driver core (-EBUSY). Probing brings the dax device back.
     */
    private void regionProbe(String path, String region) {
        String dir = CXL + region + "/";
        if (!files.exists(dir + "commit")) {
            throw new SysfsError(Errno.ENOENT, path);
        }
        if (files.exists(dir + "driver")) {
            throw new SysfsError(Errno.EBUSY, path);
        }
        if (!files.read(dir + "commit").equals("1")) {
            throw new SysfsError(Errno.ENXIO, path);
        }
        bindRegion(region, false);
        event(region + " bound");
    }

    /**
     * The region driver creates the dax device at once; device_dax probes it, links its driver and
     * makes its device node a little later (asynchronously on a real kernel, where a mapping made
     * in between fails with ENXIO).
     */
    private void bindRegion(String region, boolean atBoot) {
        String dir = CXL + region + "/";
        link(dir + "driver", "../../../../bus/cxl/drivers/cxl_region");
        String dax = DAX_DEVICES + daxName(region) + "/";
        file(dax + "resource", files.read(dir + "resource"));
        file(dax + "size", Long.toString(CxlBus.parse(files.read(dir + "size"))));
        file(dax + "align", Integer.toString(ALIGN));
        if (atBoot) {
            daxProbed(region);
        } else {
            daxProbes.put(region, clock.instant().plus(DAX_PROBE));
        }
    }

    private void daxProbed(String region) {
        link(DAX_DEVICES + daxName(region) + "/driver", "../../../../bus/dax/drivers/device_dax");
        file("dev/" + daxName(region), "");
    }

    /**
     * Puts the region's memory in System RAM, as {@code daxctl reconfigure-device -m system-ram}
     * does: its dax device is bound to kmem and its memory block is online; {@code busy} makes the
     * kernel refuse to take it offline (EBUSY), as for memory it cannot migrate.
     */
    public synchronized void systemRam(int region, boolean busy) {
        String dax = DAX_DEVICES + daxName("region" + region) + "/";
        delete(dax + "driver");
        link(dax + "driver", "../../../../bus/dax/drivers/kmem");
        String block =
                MEMORY + "memory" + (CxlBus.parse(files.read(dax + "resource")) / 0x8000000L) + "/";
        file(block + "state", "online");
        if (busy) {
            busyMemory.add(block + "state");
        }
    }

    private boolean onlineMemory(String region) {
        String block =
                MEMORY
                        + "memory"
                        + (CxlBus.parse(files.read(CXL + region + "/resource")) / 0x8000000L)
                        + "/state";
        return files.exists(block) && files.read(block).equals("online");
    }

    private void memoryState(String path, String value) {
        if (!files.exists(path)) {
            throw new SysfsError(Errno.ENOENT, path);
        }
        if (value.equals("offline") && busyMemory.contains(path)) {
            throw new SysfsError(Errno.EBUSY, path);
        }
        files.write(path, value);
        event(path.substring(MEMORY.length(), path.length() - "/state".length()) + " " + value);
    }

    private interface Copy {
        void copy(byte[] media, int at, int done, int n);
    }

    private void dax(
            String path, String region, long offset, int length, Copy copy, boolean write) {
        String dir = CXL + region + "/";
        if (!files.exists(dir + "commit")) {
            // an nd region of one NVDIMM: its dax device maps the DIMM's media straight
            if (!files.exists(ND + region + "/driver")) {
                throw new SysfsError(Errno.ENXIO, path);
            }
            String nmem = files.read(ND + region + "/mapping0").split(",")[0];
            byte[] media = readMedia(nmem);
            copy.copy(media, (int) offset, 0, length);
            if (write) {
                writeMedia(nmem, media);
            }
            return;
        }
        if (!files.read(dir + "commit").equals("1")) {
            throw new SysfsError(Errno.ENXIO, path);
        }
        int ways = Integer.parseInt(files.read(dir + "interleave_ways"));
        for (int done = 0; done < length; ) {
            long at = offset + done;
            int chunk = (int) (at / GRANULARITY);
            int member = chunk % ways;
            int deviceOffset = (chunk / ways) * GRANULARITY + (int) (at % GRANULARITY);
            int n = Math.min(GRANULARITY - (int) (at % GRANULARITY), length - done);
            String memdev =
                    "mem"
                            + (Integer.parseInt(
                                            endpointOfTarget(dir, member)
                                                    .substring("endpoint".length()))
                                    - 10);
            byte[] media = readMedia(memdev);
            copy.copy(media, deviceOffset, done, n);
            if (write) {
                writeMedia(memdev, media);
            }
            done += n;
        }
    }

    // ---- keyring ----

    @Override
    public synchronized long add(String description, String passphrase) {
        long id = nextKey.getAndIncrement();
        keys.put(
                id,
                new String[] {
                    description, new String(hash(passphrase), StandardCharsets.ISO_8859_1)
                });
        return id;
    }

    @Override
    public synchronized void remove(long keyId) {
        keys.remove(keyId);
    }

    @Override
    public synchronized boolean holds(String description) {
        return keys.values().stream().anyMatch(k -> k[0].equals(description));
    }

    /**
     * A blob as ndctl keeps it under {@code /etc/ndctl/keys}: {@code keyctl read} of an encrypted
     * key sealed by {@code user:nvdimm-master}. Here the "sealing" is the passphrase's hash in hex
     * behind that header; the real kernel's loading of such a blob is what {@code KernelIT} shows.
     */
    public static String sealedBlob(String passphrase) {
        return SEALED_HEADER + HexFormat.of().formatHex(hash(passphrase));
    }

    private static final String SEALED_HEADER = "enc32 user:nvdimm-master 32 ";

    /** Whether the master key a sealed blob names is loaded (ndctl-loadkeys loads it at boot). */
    public synchronized EmulatedKernel masterKeyLoaded(boolean loaded) {
        masterKey = loaded;
        return this;
    }

    private boolean masterKey = true;

    @Override
    public synchronized long load(String description, String sealedBlob) {
        // security/keys/encrypted-keys/encrypted.c: "load" needs the master key the blob names
        if (!masterKey || !sealedBlob.startsWith(SEALED_HEADER)) {
            throw AgentProblem.keyUnavailable(
                    "the kernel refused the host's sealed key for " + description);
        }
        long id = nextKey.getAndIncrement();
        byte[] payload = HexFormat.of().parseHex(sealedBlob.substring(SEALED_HEADER.length()));
        keys.put(id, new String[] {description, new String(payload, StandardCharsets.ISO_8859_1)});
        return id;
    }

    /** A key someone else loaded (ndctl, an operator): the agent must neither use nor remove it. */
    public synchronized long foreignKey(String description, String passphrase) {
        return add(description, passphrase);
    }

    /** The descriptions of the keys the keyring holds. */
    public synchronized List<String> keyDescriptions() {
        return keys.values().stream().map(k -> k[0]).sorted().toList();
    }

    /**
     * How this kernel prints a CXL bridge's dimm_id and {@code cxl/id}: before Debian's 6.12.111
     * the key name is the serial in hex and {@code cxl/id} signed decimal ({@code "%lld"}); since,
     * both unsigned decimal ({@code "%llu"}), the default here (the 6.12.117 image KernelIT boots).
     */
    public enum KeyNaming {
        HEX_BEFORE_6_12_111,
        DECIMAL_SINCE_6_12_111
    }

    /** Becomes a kernel of the given naming: {@code cxl/id} is printed again its way. */
    public synchronized EmulatedKernel keyNaming(KeyNaming naming) {
        keyNaming = naming;
        for (String nmem : files.list(ND.substring(0, ND.length() - 1))) {
            String id = ND + nmem + "/cxl/id";
            if (files.exists(id)) {
                long serial = serialOf(files.read(id));
                files.write(
                        id,
                        naming == KeyNaming.DECIMAL_SINCE_6_12_111
                                ? Long.toUnsignedString(serial)
                                : Long.toString(serial));
            }
        }
        return this;
    }

    private static long serialOf(String printed) {
        String text = printed.strip();
        return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
    }

    /** How many keys the keyring holds: the agent must leave none behind. */
    public synchronized int keys() {
        return keys.size();
    }

    // ---- pass-through ----

    @Override
    public synchronized boolean exists(String path) {
        settle();
        return files.exists(path);
    }

    @Override
    public synchronized List<String> list(String directory) {
        settle();
        return files.list(directory);
    }

    @Override
    public String linkTarget(String path) {
        return files.linkTarget(path);
    }

    // ---- helpers ----

    /** The device's media, as the test sees it past every cache. */
    public synchronized byte[] readMedia(String device) {
        try {
            return Files.readAllBytes(root.resolve("emulator/media/" + device));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeMedia(String device, byte[] media) {
        try {
            Files.write(root.resolve("emulator/media/" + device), media);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void media(String device, boolean random) {
        byte[] bytes = new byte[MEDIA];
        if (random) {
            RANDOM.nextBytes(bytes);
        }
        try {
            Files.createDirectories(root.resolve("emulator/media"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeMedia(device, bytes);
    }

    private void event(String text) {
        try {
            Files.writeString(
                    root.resolve("emulator/events"),
                    (++events) + "\t" + clock.instant() + "\t" + text + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kernel-visible effects so far, in order, without sequence numbers and times. */
    public static List<String> events(Path root) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(root.resolve("emulator/events"))) {
                out.add(line.substring(line.lastIndexOf('\t') + 1));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void file(String path, String content) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file, content.isEmpty() || content.endsWith("\n") ? content : content + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void dir(String path) {
        try {
            Files.createDirectories(root.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delete(String path) {
        try {
            Path file = root.resolve(path);
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                try (var walk = Files.walk(file)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            } else {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void link(String path, String target) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.createSymbolicLink(file, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] hash(String passphrase) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(passphrase.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
