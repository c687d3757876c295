package io.lethe.backend;

import io.lethe.host.BackendType;
import io.lethe.host.HostView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The backends by type; a host's backend is chosen by its registration. */
@Component
public class Backends {

    private final Map<BackendType, HostBackend> byType = new HashMap<>();

    Backends(List<HostBackend> backends) {
        backends.forEach(b -> byType.put(b.type(), b));
    }

    public HostBackend forHost(HostView host) {
        return ofType(host.backend().type());
    }

    /** The backend of a type, as an operation recorded it. */
    public HostBackend ofType(BackendType type) {
        HostBackend backend = byType.get(type);
        if (backend == null) {
            throw new BackendException.Refused(
                    "no " + type.wire() + " backend is available in this service");
        }
        return backend;
    }
}
