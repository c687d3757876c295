package io.lethe.backend.simulated;

import io.lethe.backend.BackendException;
import io.lethe.backend.HostBackend;
import io.lethe.common.StepName;
import io.lethe.host.BackendType;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The {@code simulated-x86} backend: drives a {@link SimulatedMachine} kept in the database, with the
 * latencies and faults the host was registered with, keyed by step name. An erase completes in the
 * background after its latency; other steps take their latency before they act.
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
        return BackendType.SIMULATED_X86;
    }

    /** One lock, load and commit of the host's machine for all the calls. */
    @Override
    public <T> T together(HostView host, Supplier<T> calls) {
        return machines.together(host.id(), calls);
    }

    @Override
    public DeviceReading readDevice(HostView host, UUID deviceId) {
        prepare(host, StepName.PRECHECK);
        return machines.change(host.id(), m -> {
            m.settle(clock.instant());
            SimulatedMachine.SimDevice device = m.device(deviceId);
            return new DeviceReading(device.security, device.passphraseHash == null ? null : device.attemptsLeft);
        });
    }

    @Override
    public void unlock(HostView host, UUID deviceId, String passphrase) {
        prepare(host, StepName.UNLOCK);
        // A wrong passphrase must still count: the attempt is committed before the refusal travels up.
        BackendException refused = machines.change(host.id(), m -> {
            try {
                m.unlock(deviceId, passphrase);
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
    public void startErase(HostView host, UUID deviceId, EraseRequest request) {
        prepare(host, StepName.ERASE, false);
        Duration latency = latency(host, StepName.ERASE);
        BackendException refused = machines.change(host.id(), m -> {
            try {
                m.startErase(deviceId, request.method(), request.master(), request.passphrase(), request.ticket(),
                        clock.instant(), latency);
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
    public EraseStatus eraseStatus(HostView host, UUID deviceId, String ticket) {
        return machines.change(host.id(), m -> m.eraseStatus(deviceId, ticket, clock.instant()));
    }

    @Override
    public void detachRegion(HostView host, RegionView region) {
        prepare(host, StepName.DETACH_REGION);
        machines.change(host.id(), m -> {
            m.detach(region.id());
            return null;
        });
    }

    @Override
    public void commitRegion(HostView host, RegionView region) {
        prepare(host, host.backend().faults().containsKey(StepName.ATTACH_REGION.wire())
                || host.backend().latencies().containsKey(StepName.ATTACH_REGION.wire())
                ? StepName.ATTACH_REGION : StepName.REATTACH_REGION);
        machines.change(host.id(), m -> {
            m.commit(region.id());
            return null;
        });
    }

    @Override
    public Invalidation invalidateCaches(HostView host) {
        Instant started = clock.instant();
        prepare(host, StepName.INVALIDATE_CACHE);
        if (Boolean.TRUE.equals(host.backend().virtualized())) {
            throw new BackendException.InvalidationUnsupported("-ENXIO: a virtual machine cannot invalidate host-physical caches");
        }
        long count = machines.change(host.id(), m -> {
            m.wbinvd();
            return m.invalidations;
        });
        return new Invalidation(started, clock.instant(), "simulated wbinvd #" + count + " on all CPUs");
    }

    @Override
    public void writeThroughCpu(HostView host, RegionView region, UUID deviceId, byte[] pattern) {
        machines.change(host.id(), m -> {
            for (Long line : m.linesOf(region.id(), deviceId)) {
                m.cpuWrite(line, Arrays.copyOf(pattern, SimulatedMachine.LINE));
            }
            return null;
        });
    }

    @Override
    public byte[] readThroughCpu(HostView host, RegionView region, UUID deviceId) {
        prepare(host, StepName.VERIFY);
        return machines.change(host.id(), m -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<Long> lines = m.linesOf(region.id(), deviceId);
            lines.forEach(line -> out.writeBytes(m.cpuRead(line)));
            return out.toByteArray();
        });
    }

    @Override
    public byte[] readMedia(HostView host, UUID deviceId) {
        return machines.read(host.id(), m -> m.readMedia(deviceId));
    }

    private void prepare(HostView host, StepName step) {
        prepare(host, step, true);
    }

    /** Injected faults of the step, then its latency (except the erase's, which is its run time). */
    private void prepare(HostView host, StepName step, boolean sleep) {
        String fault = host.backend().faults().get(step.wire());
        if ("fail".equals(fault)) {
            throw new BackendException.Transient("injected fault 'fail' in " + step.wire());
        }
        if ("fail-once".equals(fault)) {
            boolean first = machines.change(host.id(), m -> m.consumedFaults.add(step.wire()));
            if (first) {
                throw new BackendException.Transient("injected fault 'fail-once' in " + step.wire());
            }
        }
        if ("timeout".equals(fault)) {
            sleep(host, Duration.ofHours(1));
            throw new BackendException.TimedOut("injected fault 'timeout' in " + step.wire());
        }
        if (sleep) {
            sleep(host, latency(host, step));
        }
    }

    private static Duration latency(HostView host, StepName step) {
        String latency = host.backend().latencies().get(step.wire());
        return latency == null ? Duration.ZERO : Duration.parse(latency);
    }

    private void sleep(HostView host, Duration duration) {
        if (duration.isZero()) {
            return;
        }
        machines.beforeWaiting(host.id());
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException.TimedOut("interrupted: the step ran out of time");
        }
    }
}
