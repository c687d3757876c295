package io.lethe.backend.simulated;

import java.util.UUID;
import java.util.function.Function;
import org.springframework.context.ApplicationContext;

/**
 * The simulated hosts' hardware, reached from tests outside the backend: the physics a test plays
 * (time passes and a running erase ends; a tenant writes through its CPU) and the oracle it reads
 * (what the CPU's view shows now), through the same store the backend uses.
 */
public final class SimulatedHardware {

    private final MachineStore machines;

    public SimulatedHardware(ApplicationContext context) {
        this.machines = context.getBean(MachineStore.class);
    }

    /** Changes the host's machine and commits the change, as the hardware would. */
    public <T> T change(UUID hostId, Function<SimulatedMachine, T> action) {
        return machines.change(hostId, action);
    }

    /** Reads the host's machine as last committed, changing nothing (not even its caches). */
    public <T> T read(UUID hostId, Function<SimulatedMachine, T> query) {
        return machines.read(hostId, query);
    }
}
