package io.lethe.backend.simulated;

import io.lethe.backend.AbandonableCalls;
import io.lethe.backend.BackendException;
import io.lethe.backend.HostBackend;
import io.lethe.device.DeviceView;
import io.lethe.host.BackendType;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The {@code simulated-x86} backend: drives a {@link SimulatedMachine} kept in the database, with
 * the latencies and faults the host was registered with (see {@link SimulatedAction}). An erase
 * completes in the background after its latency; other steps take their latency before they act.
 */
@Component
class SimulatedX86Backend implements HostBackend {

    private final MachineStore machines;
    private final Clock clock;

    SimulatedX86Backend(MachineStore machines, Clock clock) {
        this.machines = machines;
        this.clock = clock;
    }

    @Override
    public BackendType type() {
        return SimulatedX86Kind.TYPE;
    }

    @Override
    public boolean simulated() {
        return true;
    }

    /** One lock, load and commit of the host's machine for all the calls. */
    @Override
    public <T> T together(HostView host, Supplier<T> calls) {
        return machines.together(host.id(), calls);
    }

    @Override
    public DeviceReading readDevice(HostView host, DeviceView device) {
        prepare(host, SimulatedAction.READ_DEVICE);
        return machines.change(
                host.id(),
                m -> {
                    m.settle(clock.instant());
                    SimulatedMachine.SimDevice simulated = m.device(device.id());
                    return new DeviceReading(
                            simulated.security,
                            simulated.passphraseHash == null ? null : simulated.attemptsLeft);
                });
    }

    @Override
    public void unlock(HostView host, DeviceView device, String passphrase) {
        prepare(host, SimulatedAction.UNLOCK);
        // A wrong passphrase must still count: the attempt is committed before the refusal travels
        // up.
        BackendException refused =
                machines.change(
                        host.id(),
                        m -> {
                            try {
                                SimulatedSecurity.unlock(m, device.id(), passphrase);
                                return null;
                            } catch (BackendException e) {
                                return e;
                            }
                        });
        if (refused != null) {
            throw refused;
        }
    }

    @Override
    public void startErase(HostView host, DeviceView device, EraseRequest request) {
        prepare(host, SimulatedAction.START_ERASE, false);
        Duration latency = SimulatedAction.START_ERASE.latency(host);
        BackendException refused =
                machines.change(
                        host.id(),
                        m -> {
                            try {
                                SimulatedSecurity.startErase(
                                        m,
                                        device.id(),
                                        request.method(),
                                        request.master(),
                                        request.passphrase(),
                                        request.ticket(),
                                        clock.instant(),
                                        latency);
                                return null;
                            } catch (BackendException e) {
                                return e;
                            }
                        });
        if (refused != null) {
            throw refused;
        }
    }

    @Override
    public EraseStatus eraseStatus(HostView host, DeviceView device, String ticket) {
        return machines.change(
                host.id(),
                m -> SimulatedSecurity.eraseStatus(m, device.id(), ticket, clock.instant()));
    }

    @Override
    public void detachRegion(HostView host, RegionView region, long fence) {
        prepare(host, SimulatedAction.DETACH_REGION);
        machines.change(
                host.id(),
                m -> {
                    m.detach(region.id(), fence);
                    return null;
                });
    }

    @Override
    public void commitRegion(HostView host, RegionView region, long fence) {
        prepare(host, SimulatedAction.COMMIT_REGION);
        machines.change(
                host.id(),
                m -> {
                    m.commit(region.id(), fence);
                    return null;
                });
    }

    @Override
    public boolean regionDecodes(HostView host, RegionView region) {
        return machines.read(
                host.id(),
                m -> {
                    SimulatedMachine.SimRegion simulated = m.regions.get(region.id().toString());
                    return simulated != null && simulated.decoded;
                });
    }

    @Override
    public Invalidation invalidateCaches(HostView host) {
        Instant started = clock.instant();
        prepare(host, SimulatedAction.INVALIDATE_CACHES);
        if (SimulatedX86Kind.virtualized(host)) {
            throw new BackendException.InvalidationUnsupported(
                    "-ENXIO: a virtual machine cannot invalidate host-physical caches");
        }
        long count =
                machines.change(
                        host.id(),
                        m -> {
                            m.wbinvd();
                            return m.invalidations;
                        });
        return new Invalidation(
                started, clock.instant(), "simulated wbinvd #" + count + " on all CPUs");
    }

    @Override
    public void writeThroughCpu(
            HostView host, RegionView region, DeviceView device, byte[] pattern) {
        machines.change(
                host.id(),
                m -> {
                    for (Long line : m.linesOf(region.id(), device.id())) {
                        m.cpuWrite(line, Arrays.copyOf(pattern, SimulatedMachine.LINE));
                    }
                    return null;
                });
    }

    @Override
    public byte[] readThroughCpu(HostView host, RegionView region, DeviceView device) {
        prepare(host, SimulatedAction.READ_THROUGH_CPU);
        return machines.change(
                host.id(),
                m -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    List<Long> lines = m.linesOf(region.id(), device.id());
                    lines.forEach(line -> out.writeBytes(m.cpuRead(line)));
                    return out.toByteArray();
                });
    }

    @Override
    public byte[] readMedia(HostView host, DeviceView device) {
        return machines.read(host.id(), m -> m.readMedia(device.id()));
    }

    private void prepare(HostView host, SimulatedAction action) {
        prepare(host, action, true);
    }

    /**
     * Injected faults of the action, then its latency (except the erase's, which is its run time).
     */
    private void prepare(HostView host, SimulatedAction action, boolean sleep) {
        String fault = action.fault(host);
        String where = action.faultKey(host);
        if ("fail".equals(fault)) {
            throw new BackendException.Transient("injected fault 'fail' in " + where);
        }
        if ("fail-once".equals(fault)) {
            boolean first = machines.change(host.id(), m -> m.consumedFaults.add(action.faultId()));
            if (first) {
                throw new BackendException.Transient("injected fault 'fail-once' in " + where);
            }
        }
        if ("timeout".equals(fault)) {
            sleep(host, Duration.ofHours(1));
            throw new BackendException.TimedOut("injected fault 'timeout' in " + where);
        }
        if (sleep) {
            sleep(host, action.latency(host));
        }
    }

    private void sleep(HostView host, Duration duration) {
        if (duration.isZero()) {
            return;
        }
        machines.beforeWaiting(host.id());
        if (AbandonableCalls.abandonedWithin(duration)) {
            // The step ran out of time: like a request the host never received, nothing is done.
            throw new BackendException.TimedOut("abandoned: the step ran out of time");
        }
    }
}
