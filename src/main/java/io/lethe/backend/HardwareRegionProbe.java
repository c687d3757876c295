package io.lethe.backend;

import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.region.RegionProbe;
import io.lethe.region.RegionView;
import org.springframework.stereotype.Component;

/** Asks the region's host, through its backend, whether the region decodes. */
@Component
class HardwareRegionProbe implements RegionProbe {

    private final Backends backends;
    private final HostService hosts;

    HardwareRegionProbe(Backends backends, HostService hosts) {
        this.backends = backends;
        this.hosts = hosts;
    }

    @Override
    public boolean decodes(RegionView region) {
        HostView host = hosts.get(region.hostId());
        try {
            return backends.forHost(host).regionDecodes(host, region);
        } catch (BackendException e) {
            throw new Unreadable(e.getMessage());
        }
    }
}
