package io.lethe.backend;

import io.lethe.device.DeviceKind;
import io.lethe.device.DeviceView;
import io.lethe.device.SecurityState;
import io.lethe.host.BackendType;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The device- and host-level actions Lethe needs from a machine, one implementation per {@link
 * BackendType}. Devices are passed as the caller read them (a backend names a device to its host by
 * id or serial, and reloads nothing). Every action is idempotent where the hardware allows it:
 * detaching a detached region or committing a committed one is a no-op; starting an erase that
 * already runs under the same ticket starts nothing. Failures are {@link BackendException}s.
 */
public interface HostBackend {

    BackendType type();

    /**
     * Runs several calls on one host as one exchange with it, such as a wave's members at one step:
     * a backend may keep what it opened for the first call (a connection, a session, the simulated
     * machine's transaction) for the others. Each call keeps its own meaning and failures; by the
     * time this returns, everything the calls did is as durable as after each call on its own.
     */
    default <T> T together(HostView host, Supplier<T> calls) {
        return calls.get();
    }

    /** The device's security state and unlock attempts left, as the hardware reports them. */
    DeviceReading readDevice(HostView host, DeviceView device);

    /**
     * Forgets the wrong passphrases counted for the device, which an admin does after a power cycle
     * gave it its attempts back: where the backend's count is an estimate (a host agent's, since
     * the kernel's ENXIO is ambiguous). Safe to repeat.
     *
     * @throws BackendException.Refused where the backend keeps no estimate
     */
    default void resetAttemptEstimate(HostView host, DeviceView device) {
        throw new BackendException.Refused(
                "the "
                        + type().wire()
                        + " backend keeps no estimate of a device's attempts: it reads the device's own count");
    }

    /**
     * Unlocks with the passphrase; a wrong one costs an attempt ({@link
     * BackendException.WrongPassphrase}).
     */
    void unlock(HostView host, DeviceView device, String passphrase);

    /**
     * Unlocks with the host's own key that ndctl sealed and keeps on the host, so no passphrase
     * travels; the host refuses it for a device its own configuration does not list ({@link
     * BackendException.KeyUnavailable}). A wrong key costs an attempt like a wrong passphrase.
     * Backends without host keys refuse it without touching anything.
     */
    default void unlockWithHostKey(HostView host, DeviceView device) {
        throw new BackendException.KeyUnavailable(
                "the " + type().wire() + " backend keeps no host keys; unlock with a passphrase");
    }

    /**
     * Starts an erase that completes in the background. The ticket names this erase so that {@link
     * #eraseStatus} can tell it from an earlier one after a crash.
     */
    void startErase(HostView host, DeviceView device, EraseRequest request);

    EraseStatus eraseStatus(HostView host, DeviceView device, String ticket);

    /**
     * Resets the region's decoders: the CPU can no longer reach its memory.
     *
     * @param fence Lethe's fencing token for this change of the region (from the host's order, so a
     *     later decision has a higher one); the host keeps the highest it has seen per region
     * @throws BackendException.Fenced when the host has seen a higher token for the region: a reset
     *     that lands late never undoes a later commit
     */
    void detachRegion(HostView host, RegionView region, long fence);

    /**
     * Commits the region's decoders: the CPU can reach its memory again.
     *
     * @param fence as for {@link #detachRegion}
     * @throws BackendException.Fenced when the host has seen a higher token for the region: a
     *     commit that lands after a later detach (a committer that stalled or died) changes nothing
     */
    void commitRegion(HostView host, RegionView region, long fence);

    /**
     * {@link #commitRegion}, answering false instead of throwing when the host refused the token
     * for a higher one (a later detach superseded this commit).
     */
    default boolean commitUnlessSuperseded(HostView host, RegionView region, long fence) {
        try {
            commitRegion(host, region, fence);
            return true;
        } catch (BackendException.Fenced later) {
            return false;
        }
    }

    /**
     * Invalidates every CPU cache line of the host (x86: {@code wbinvd} on all CPUs, which may
     * write dirty lines back first). Returns when it started and ended.
     *
     * @throws BackendException.InvalidationUnsupported on a virtualized host
     */
    Invalidation invalidateCaches(HostView host);

    /**
     * Whether the host's decoders for the region are committed now, as the hardware says. A backend
     * that reports its inventory answers from it.
     */
    default boolean regionDecodes(HostView host, RegionView region) {
        return inventory(host).regions().stream()
                .anyMatch(r -> r.name().equals(region.name()) && r.attached());
    }

    /**
     * Writes a pattern over the device's share of the region through the CPU (cached, write-back).
     */
    void writeThroughCpu(HostView host, RegionView region, DeviceView device, byte[] pattern);

    /** Reads the device's share of the region through the CPU's view, caches included. */
    byte[] readThroughCpu(HostView host, RegionView region, DeviceView device);

    /**
     * Reads the device's media directly, past every cache; only where {@link #mediaReadable()}.
     * Real kernels offer no such read: there, {@code verify} relies on the CPU's view of the
     * region.
     */
    byte[] readMedia(HostView host, DeviceView device);

    /** Whether {@link #readMedia} works on this backend. */
    default boolean mediaReadable() {
        return true;
    }

    /**
     * Whether the host's kernel invalidates CPU caches inside the region commit of {@code
     * reattach-region} (user space cannot), so that {@link #invalidateCaches} only checks that it
     * can ({@link Invalidation#atCommit}). Linux does so in the region commit path:
     * cxl_region_invalidate_memregion() in drivers/cxl/core/region.c, which refuses the commit
     * where it cannot invalidate.
     */
    default boolean kernelInvalidatesInCommit() {
        return false;
    }

    /**
     * Whether {@link #unlockWithHostKey} can work here: the backend reaches a key the host keeps
     * sealed for the device (ndctl's blob, loaded by the host's kernel).
     */
    default boolean keepsHostKeys() {
        return false;
    }

    /** Whether the hardware is simulated: nothing real is erased, and certificates say so. */
    default boolean simulated() {
        return false;
    }

    /**
     * The devices and regions the host reports, for discovery.
     *
     * @throws BackendException.Refused where the inventory is declared rather than discovered
     */
    default Inventory inventory(HostView host) {
        throw new BackendException.Refused(
                type().wire() + " hosts are declared through the API, not discovered");
    }

    /**
     * What a host reports of itself; {@code invalidationRefusal} is null when it can invalidate its
     * caches.
     */
    record Inventory(
            List<FoundDevice> devices, List<FoundRegion> regions, String invalidationRefusal) {}

    /** A device as the host reports it. */
    record FoundDevice(
            DeviceKind kind,
            String serial,
            String manufacturer,
            String model,
            String firmwareVersion,
            long capacityBytes,
            SecurityState securityState,
            Integer unlockAttemptsLeft) {}

    /** A region as the host reports it: members by serial in interleave order. */
    record FoundRegion(
            String name,
            long baseAddress,
            long sizeBytes,
            List<String> memberSerials,
            boolean attached) {}

    record DeviceReading(SecurityState securityState, Integer unlockAttemptsLeft) {}

    /** An erase to start; {@code passphrase} only for methods that need it, never logged. */
    record EraseRequest(EraseMethod method, boolean master, String passphrase, String ticket) {
        @Override
        public String toString() {
            return "EraseRequest[method="
                    + method
                    + ", master="
                    + master
                    + ", ticket="
                    + ticket
                    + "]";
        }
    }

    /** Progress of the erase named by a ticket. */
    record EraseStatus(State state, Integer percent, Instant finishedAt, String detail) {

        public enum State {
            NOT_STARTED,
            RUNNING,
            COMPLETED,
            FAILED
        }

        public static EraseStatus notStarted() {
            return new EraseStatus(State.NOT_STARTED, null, null, null);
        }
    }

    /**
     * The answer to {@link #invalidateCaches}.
     *
     * @param atCommit the backend only checked that the invalidation will happen: the host's kernel
     *     performs it inside the region commit of {@code reattach-region}, so {@code startedAt} is
     *     when that was checked, not when caches were invalidated
     */
    record Invalidation(Instant startedAt, Instant finishedAt, String evidence, boolean atCommit) {

        public Invalidation(Instant startedAt, Instant finishedAt, String evidence) {
            this(startedAt, finishedAt, evidence, false);
        }
    }
}
