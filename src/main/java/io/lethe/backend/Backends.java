package io.lethe.backend;

import io.lethe.host.BackendType;
import io.lethe.host.HostView;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The backends by type; a host's backend is chosen by its registration. */
@Component
public class Backends {

    private final Map<BackendType, HostBackend> byType = new EnumMap<>(BackendType.class);

    Backends(List<HostBackend> backends) {
        backends.forEach(b -> byType.put(b.type(), b));
    }

    public HostBackend forHost(HostView host) {
        HostBackend backend = byType.get(host.backend().type());
        if (backend == null) {
            throw new BackendException.Refused(
                    "no " + host.backend().type().wire() + " backend is available in this service");
        }
        return backend;
    }
}
