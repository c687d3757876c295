package io.lethe.backend.simulated;

import io.lethe.backend.BackendException;
import io.lethe.backend.EraseMethod;
import io.lethe.device.SecurityState;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The hardware of one simulated x86 host, honest where it matters for Lethe's promise:
 *
 * <ul>
 *   <li>each device has a small sample of media (4 cache lines of 64 bytes);
 *   <li>a region interleaves its members' lines into host-physical addresses and decodes them only
 *       while committed; an undecoded address reads all-ones and is never cached;
 *   <li>a write-back CPU cache holds clean and dirty lines by host-physical address; a read of a
 *       locked device caches poison;
 *   <li>{@code wbinvd} writes every dirty line back to whatever its address decodes to now
 *       (nothing, if the region is detached) and then drops every line;
 *   <li>detaching a region resets its decoders and does <em>not</em> invalidate: Lethe's own {@code
 *       invalidate-cache} step is the only invalidation here, so skipping it shows.
 * </ul>
 *
 * Plain data with public fields, serialized as JSON into the database so that it survives restarts
 * and replicas share it. Not thread-safe: callers hold the host's row lock.
 */
public final class SimulatedMachine {

    public static final int LINE = 64;
    public static final int LINES_PER_DEVICE = 4;
    public static final int SAMPLE = LINE * LINES_PER_DEVICE;
    public static final byte POISON = (byte) 0xDE;
    public static final byte UNMAPPED = (byte) 0xFF;
    public static final int UNLOCK_ATTEMPTS = 3;

    private static final SecureRandom RANDOM = new SecureRandom();

    public Map<String, SimDevice> devices = new TreeMap<>();
    public Map<String, SimRegion> regions = new TreeMap<>();
    public TreeMap<Long, CacheLine> cache = new TreeMap<>();
    public Set<String> consumedFaults = new TreeSet<>();
    public long invalidations;

    /**
     * One device: media sample, security state, the verifiers of its passphrase and of its master
     * passphrase (null where none is set), the erase in progress.
     */
    public static final class SimDevice {
        public String kind;
        public byte[] media;
        public SecurityState security;
        public String passphraseSalt;
        public String passphraseHash;
        public String masterSalt;
        public String masterHash;
        public int attemptsLeft = UNLOCK_ATTEMPTS;
        public EraseJob erase;
    }

    /** An erase started with a ticket; applied to the media when it completes. */
    public static final class EraseJob {
        public String ticket;
        public EraseMethod method;
        public Instant startedAt;
        public Instant completesAt;
        public boolean done;
        public SecurityState securityAfter;
    }

    public static final class SimRegion {
        public long base;
        public List<String> members = new ArrayList<>();
        public boolean decoded;

        /** The highest fencing token a reset or commit of the region carried. */
        public long fence;

        /** A reset or commit with this token acts only if no later one was seen. */
        void admit(long token, String region) {
            if (token < fence) {
                throw new BackendException.Fenced(
                        "region "
                                + region
                                + " refused fencing token "
                                + token
                                + ": it saw "
                                + fence);
            }
            fence = token;
        }

        int ways() {
            return members.size();
        }

        boolean contains(long address) {
            return address >= base && address < base + (long) ways() * SAMPLE;
        }
    }

    public static final class CacheLine {
        public byte[] data;
        public boolean dirty;
    }

    /**
     * A device as the previous tenant left it: its media full of that tenant's bytes, its
     * passphrase and master passphrase set where they are not null.
     */
    public void addDevice(
            UUID id,
            String kind,
            SecurityState security,
            String passphrase,
            String masterPassphrase) {
        SimDevice device = new SimDevice();
        device.kind = kind;
        device.security = security;
        device.media = new byte[SAMPLE];
        RANDOM.nextBytes(device.media);
        if (passphrase != null) {
            SimulatedSecurity.setPassphrase(device, passphrase);
        }
        if (masterPassphrase != null) {
            SimulatedSecurity.setMasterPassphrase(device, masterPassphrase);
        }
        devices.putIfAbsent(id.toString(), device);
    }

    public void addRegion(UUID id, long base, List<UUID> members, boolean decoded) {
        SimRegion region = new SimRegion();
        region.base = base;
        members.forEach(m -> region.members.add(m.toString()));
        region.decoded = decoded;
        regions.putIfAbsent(id.toString(), region);
    }

    /** The region's decoders are gone for good: its addresses decode to nothing. */
    public void removeRegion(UUID id) {
        regions.remove(id.toString());
    }

    /** Host-physical addresses of the device's lines in the region, in media order. */
    public List<Long> linesOf(UUID regionId, UUID deviceId) {
        SimRegion region = region(regionId);
        int position = region.members.indexOf(deviceId.toString());
        List<Long> lines = new ArrayList<>();
        for (int k = 0; k < LINES_PER_DEVICE; k++) {
            lines.add(region.base + ((long) k * region.ways() + position) * LINE);
        }
        return lines;
    }

    public byte[] cpuRead(long line) {
        CacheLine cached = cache.get(line);
        if (cached != null) {
            return cached.data.clone();
        }
        Target target = decode(line);
        if (target == null) {
            return filled(UNMAPPED);
        }
        CacheLine fill = new CacheLine();
        fill.data = target.device.security == SecurityState.LOCKED ? filled(POISON) : target.read();
        cache.put(line, fill);
        return fill.data.clone();
    }

    /**
     * A speculative or prefetching read: fills the cache like a read, and nobody sees the value.
     */
    public void speculativeRead(long line) {
        cpuRead(line);
    }

    public void cpuWrite(long line, byte[] data) {
        if (!cache.containsKey(line)) {
            Target target = decode(line);
            if (target == null) {
                return;
            }
            cpuRead(line);
        }
        CacheLine cached = cache.get(line);
        cached.data = Arrays.copyOf(data, LINE);
        cached.dirty = true;
    }

    /** The cache evicts a line: a dirty one goes back to wherever its address decodes now. */
    public void evict(long line) {
        CacheLine cached = cache.remove(line);
        if (cached != null && cached.dirty) {
            Target target = decode(line);
            if (target != null) {
                target.write(cached.data);
            }
        }
    }

    /**
     * x86 {@code wbinvd}: write back every dirty line to what its address decodes to now, drop all.
     */
    public void wbinvd() {
        for (Long line : new ArrayList<>(cache.keySet())) {
            evict(line);
        }
        cache.clear();
        invalidations++;
    }

    public byte[] readMedia(UUID deviceId) {
        return device(deviceId).media.clone();
    }

    public void detach(UUID regionId, long fence) {
        SimRegion region = region(regionId);
        region.admit(fence, regionId.toString());
        region.decoded = false;
    }

    public void commit(UUID regionId, long fence) {
        SimRegion region = region(regionId);
        region.admit(fence, regionId.toString());
        for (String member : region.members) {
            SimDevice device = devices.get(member);
            if (device.security == SecurityState.LOCKED
                    || device.erase != null && !device.erase.done) {
                throw new BackendException.Refused(
                        "cannot commit: member "
                                + member
                                + " is "
                                + (device.security == SecurityState.LOCKED
                                        ? "locked"
                                        : "being erased"));
            }
        }
        region.decoded = true;
    }

    /** Completes every erase whose time has come. */
    public void settle(Instant now) {
        SimulatedSecurity.settle(this, now);
    }

    public SimDevice device(UUID id) {
        SimDevice device = devices.get(id.toString());
        if (device == null) {
            throw new BackendException.Refused("ENODEV: no device " + id + " on this host");
        }
        return device;
    }

    private SimRegion region(UUID id) {
        SimRegion region = regions.get(id.toString());
        if (region == null) {
            throw new BackendException.Refused("ENXIO: no region " + id + " on this host");
        }
        return region;
    }

    private Target decode(long line) {
        for (SimRegion region : regions.values()) {
            if (region.decoded && region.contains(line)) {
                long index = (line - region.base) / LINE;
                SimDevice device = devices.get(region.members.get((int) (index % region.ways())));
                return new Target(device, (int) (index / region.ways()) * LINE);
            }
        }
        return null;
    }

    private record Target(SimDevice device, int offset) {
        byte[] read() {
            return Arrays.copyOfRange(device.media, offset, offset + LINE);
        }

        void write(byte[] data) {
            System.arraycopy(data, 0, device.media, offset, LINE);
        }
    }

    private static byte[] filled(byte value) {
        byte[] line = new byte[LINE];
        Arrays.fill(line, value);
        return line;
    }
}
