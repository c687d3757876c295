package io.lethe.backend.simulated;

import io.lethe.device.DeviceRegistered;
import io.lethe.host.HostService;
import io.lethe.region.RegionDeclared;
import io.lethe.region.RegionRemoved;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Builds the simulated hardware as devices and regions are registered on simulated hosts. The
 * hardware is there before Lethe's registration commits, as a real device is before anyone
 * registers it: a registration that rolls back leaves an unregistered simulated device behind,
 * never a registered device the hardware lacks.
 */
@Component
class SimulatedInventory {

    private final HostService hosts;
    private final MachineStore machines;

    SimulatedInventory(HostService hosts, MachineStore machines) {
        this.hosts = hosts;
        this.machines = machines;
    }

    @EventListener
    void on(DeviceRegistered device) {
        if (simulated(device.hostId())) {
            machines.change(
                    device.hostId(),
                    m -> {
                        m.addDevice(
                                device.deviceId(),
                                device.kind().wire(),
                                device.securityState(),
                                device.passphrase(),
                                device.masterPassphrase());
                        return null;
                    });
        }
    }

    @EventListener
    void on(RegionDeclared region) {
        if (simulated(region.hostId())) {
            machines.change(
                    region.hostId(),
                    m -> {
                        m.addRegion(
                                region.regionId(),
                                region.baseAddress(),
                                region.deviceIds(),
                                region.attached());
                        return null;
                    });
        }
    }

    @EventListener
    void on(RegionRemoved region) {
        if (simulated(region.hostId())) {
            machines.change(
                    region.hostId(),
                    m -> {
                        m.removeRegion(region.regionId());
                        return null;
                    });
        }
    }

    private boolean simulated(UUID hostId) {
        return hosts.get(hostId).backend().type().equals(SimulatedX86Kind.TYPE);
    }
}
