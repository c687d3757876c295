package io.lethe.backend;

import io.lethe.device.DeviceView;
import io.lethe.device.SecurityState;
import io.lethe.host.BackendType;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host backend a test scripts: what the device reads, how an erase goes, whether an unlock or an
 * invalidation is refused, what the CPU's view and the media hold. It records every call it gets,
 * with its arguments but never a passphrase, so a test can check what a step asked of the host.
 * Nothing is simulated behind it: it answers what it was told, which makes a step's own decisions
 * the only thing under test.
 */
public final class FakeHostBackend implements HostBackend {

    /** The calls received, in order, as {@code name(arguments)}. */
    public final List<String> calls = new ArrayList<>();

    public DeviceReading reading = new DeviceReading(SecurityState.DISABLED, null);
    public final Deque<EraseStatus> eraseStatuses = new ArrayDeque<>();
    public RuntimeException unlockFailure;
    public RuntimeException eraseFailure;
    public RuntimeException invalidationFailure;
    public Invalidation invalidation =
            new Invalidation(
                    Instant.parse("2026-12-06T12:00:00Z"),
                    Instant.parse("2026-12-06T12:00:01Z"),
                    "wbinvd on all CPUs");
    public boolean commitAccepted = true;
    public boolean detachAccepted = true;
    public boolean mediaReadable = true;
    public boolean noCpuView;
    public byte[] media = new byte[64];
    public byte[] cpuView = new byte[64];

    /** What was written through the CPU, by device id. */
    public final Map<String, byte[]> written = new HashMap<>();

    @Override
    public BackendType type() {
        return BackendType.of("simulated-x86");
    }

    @Override
    public DeviceReading readDevice(HostView host, DeviceView device) {
        calls.add("readDevice(" + device.serial() + ")");
        return reading;
    }

    @Override
    public void unlock(HostView host, DeviceView device, String passphrase) {
        calls.add("unlock(" + device.serial() + ")");
        if (unlockFailure != null) {
            throw unlockFailure;
        }
        reading = new DeviceReading(SecurityState.UNLOCKED, reading.unlockAttemptsLeft());
    }

    @Override
    public void unlockWithHostKey(HostView host, DeviceView device) {
        calls.add("unlockWithHostKey(" + device.serial() + ")");
        if (unlockFailure != null) {
            throw unlockFailure;
        }
        reading = new DeviceReading(SecurityState.UNLOCKED, reading.unlockAttemptsLeft());
    }

    @Override
    public void startErase(HostView host, DeviceView device, EraseRequest request) {
        calls.add(
                "startErase("
                        + device.serial()
                        + ", "
                        + request.method().wire()
                        + ", "
                        + (request.passphrase() == null ? "no passphrase" : "a passphrase")
                        + ")");
        if (eraseFailure != null) {
            throw eraseFailure;
        }
    }

    @Override
    public EraseStatus eraseStatus(HostView host, DeviceView device, String ticket) {
        calls.add("eraseStatus(" + device.serial() + ")");
        return eraseStatuses.isEmpty() ? EraseStatus.notStarted() : eraseStatuses.poll();
    }

    @Override
    public void detachRegion(HostView host, RegionView region, long fence) {
        calls.add("detachRegion(" + region.name() + ", fence " + fence + ")");
        if (!detachAccepted) {
            throw new BackendException.Fenced("a later command superseded fence " + fence);
        }
    }

    @Override
    public void commitRegion(HostView host, RegionView region, long fence) {
        calls.add("commitRegion(" + region.name() + ", fence " + fence + ")");
        if (!commitAccepted) {
            throw new BackendException.Fenced("a later command superseded fence " + fence);
        }
    }

    @Override
    public Invalidation invalidateCaches(HostView host) {
        calls.add("invalidateCaches(" + host.name() + ")");
        if (invalidationFailure != null) {
            throw invalidationFailure;
        }
        return invalidation;
    }

    @Override
    public void writeThroughCpu(
            HostView host, RegionView region, DeviceView device, byte[] pattern) {
        calls.add("writeThroughCpu(" + region.name() + ", " + device.serial() + ")");
        if (noCpuView) {
            throw new BackendException.NoCpuView("the region is System RAM");
        }
        written.put(device.serial(), pattern.clone());
    }

    @Override
    public byte[] readThroughCpu(HostView host, RegionView region, DeviceView device) {
        calls.add("readThroughCpu(" + region.name() + ", " + device.serial() + ")");
        if (noCpuView) {
            throw new BackendException.NoCpuView("the region is System RAM");
        }
        return cpuView.clone();
    }

    @Override
    public byte[] readMedia(HostView host, DeviceView device) {
        calls.add("readMedia(" + device.serial() + ")");
        return media.clone();
    }

    @Override
    public boolean mediaReadable() {
        return mediaReadable;
    }
}
