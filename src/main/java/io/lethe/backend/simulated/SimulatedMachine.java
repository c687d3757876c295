package io.lethe.backend.simulated;

import io.lethe.backend.BackendException;
import io.lethe.backend.EraseMethod;
import io.lethe.backend.HostBackend.EraseStatus;
import io.lethe.device.SecurityState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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

    /** One device: media sample, security state, passphrase verifier, the erase in progress. */
    public static final class SimDevice {
        public String kind;
        public byte[] media;
        public SecurityState security;
        public String passphraseSalt;
        public String passphraseHash;
        public int attemptsLeft = UNLOCK_ATTEMPTS;
        public EraseJob erase;

        boolean matches(String passphrase) {
            return passphraseHash != null
                    && passphrase != null
                    && MessageDigest.isEqual(
                            hash(passphraseSalt, passphrase).getBytes(StandardCharsets.US_ASCII),
                            passphraseHash.getBytes(StandardCharsets.US_ASCII));
        }

        void setPassphrase(String passphrase) {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            passphraseSalt = Base64.getEncoder().encodeToString(salt);
            passphraseHash = hash(passphraseSalt, passphrase);
        }
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

    // ---- inventory ----------------------------------------------------------------------------

    /** A device as the previous tenant left it: its media full of that tenant's bytes. */
    public void addDevice(UUID id, String kind, SecurityState security, String passphrase) {
        SimDevice device = new SimDevice();
        device.kind = kind;
        device.security = security;
        device.media = new byte[SAMPLE];
        RANDOM.nextBytes(device.media);
        if (passphrase != null) {
            device.setPassphrase(passphrase);
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

    // ---- the CPU's view ---------------------------------------------------------------------

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

    // ---- device and region commands ---------------------------------------------------------

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

    public void unlock(UUID deviceId, String passphrase) {
        SimDevice device = device(deviceId);
        refuseIfFrozen(device);
        if (device.security != SecurityState.LOCKED) {
            throw new BackendException.Refused(
                    "device is " + device.security.wire() + ", not locked");
        }
        if (!device.matches(passphrase)) {
            countFailedAttempt(device);
        }
        device.security = SecurityState.UNLOCKED;
        device.attemptsLeft = UNLOCK_ATTEMPTS;
    }

    public void startErase(
            UUID deviceId,
            EraseMethod method,
            boolean master,
            String passphrase,
            String ticket,
            Instant now,
            Duration latency) {
        SimDevice device = device(deviceId);
        settle(now);
        if (device.erase != null && ticket.equals(device.erase.ticket)) {
            return;
        }
        if (device.erase != null && !device.erase.done) {
            throw new BackendException.Refused("EBUSY: another erase is in progress");
        }
        refuseIfFrozen(device);
        for (SimRegion region : regions.values()) {
            if (region.decoded && region.members.contains(deviceId.toString())) {
                throw new BackendException.Refused(
                        "EBUSY: the device's region decoders are committed");
            }
        }
        SecurityState after = device.security;
        switch (method) {
            case SANITIZE -> {
                if (device.security != SecurityState.DISABLED) {
                    throw new BackendException.Refused(
                            "EPERM: sanitize is refused while a passphrase is set");
                }
            }
            case SECURE_ERASE -> {
                if (device.passphraseHash != null) {
                    throw new BackendException.Refused(
                            "EINVAL: secure erase is refused while a passphrase is set");
                }
            }
            case OVERWRITE -> {
                if (device.security == SecurityState.LOCKED) {
                    throw new BackendException.Refused("EPERM: the device is locked");
                }
            }
            case PASSPHRASE_ERASE -> {
                if (device.passphraseHash == null) {
                    throw new BackendException.Refused("EPERM: no passphrase is set");
                }
                if (!device.matches(passphrase)) {
                    countFailedAttempt(device);
                }
                after = SecurityState.DISABLED;
            }
            default -> throw new IllegalStateException();
        }
        EraseJob job = new EraseJob();
        job.ticket = ticket;
        job.method = method;
        job.startedAt = now;
        job.completesAt = now.plus(latency);
        job.securityAfter = after;
        device.erase = job;
        if (method == EraseMethod.SANITIZE || method == EraseMethod.OVERWRITE) {
            device.security = SecurityState.SANITIZING;
        }
        settle(now);
    }

    public EraseStatus eraseStatus(UUID deviceId, String ticket, Instant now) {
        settle(now);
        EraseJob job = device(deviceId).erase;
        if (job == null || !ticket.equals(job.ticket)) {
            return EraseStatus.notStarted();
        }
        if (job.done) {
            return new EraseStatus(
                    EraseStatus.State.COMPLETED,
                    100,
                    job.completesAt,
                    job.method.wire() + " completed");
        }
        long total = Math.max(1, Duration.between(job.startedAt, job.completesAt).toMillis());
        int percent =
                (int) Math.min(99, Duration.between(job.startedAt, now).toMillis() * 100 / total);
        return new EraseStatus(
                EraseStatus.State.RUNNING, percent, null, job.method.wire() + " in progress");
    }

    /** Completes every erase whose time has come. */
    public void settle(Instant now) {
        for (SimDevice device : devices.values()) {
            EraseJob job = device.erase;
            if (job != null && !job.done && !now.isBefore(job.completesAt)) {
                if (job.method == EraseMethod.SANITIZE || job.method == EraseMethod.OVERWRITE) {
                    Arrays.fill(device.media, (byte) 0);
                } else {
                    RANDOM.nextBytes(device.media);
                }
                device.security = job.securityAfter;
                if (job.securityAfter == SecurityState.DISABLED) {
                    device.passphraseHash = null;
                    device.passphraseSalt = null;
                    device.attemptsLeft = UNLOCK_ATTEMPTS;
                }
                job.done = true;
            }
        }
    }

    // ---- internals ----------------------------------------------------------------------------

    private void countFailedAttempt(SimDevice device) {
        device.attemptsLeft = Math.max(0, device.attemptsLeft - 1);
        if (device.attemptsLeft == 0) {
            device.security = SecurityState.PASSPHRASE_LIMIT;
        }
        throw new BackendException.WrongPassphrase(device.attemptsLeft);
    }

    private static void refuseIfFrozen(SimDevice device) {
        if (device.security == SecurityState.FROZEN
                || device.security == SecurityState.PASSPHRASE_LIMIT) {
            throw new BackendException.Refused(
                    "EPERM: security commands are refused while the device is "
                            + device.security.wire());
        }
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

    private static String hash(String salt, String passphrase) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Base64.getDecoder().decode(salt));
            return Base64.getEncoder()
                    .encodeToString(sha.digest(passphrase.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
