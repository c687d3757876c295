package io.lethe.backend.hostagent;

import io.lethe.backend.hostagent.AgentClient.Target;
import io.lethe.host.HostView;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Where a host's agent is and the token it takes, read (and the token decrypted) for each call, or
 * once for all the calls of one exchange with the host on this thread ({@link #together}).
 */
final class AgentExchanges {

    private final AgentEndpoints endpoints;
    private final ThreadLocal<Map<UUID, Target>> open = ThreadLocal.withInitial(HashMap::new);

    AgentExchanges(AgentEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    <T> T together(HostView host, Supplier<T> calls) {
        Map<UUID, Target> exchanges = open.get();
        if (exchanges.containsKey(host.id())) {
            return calls.get();
        }
        exchanges.put(host.id(), of(host));
        try {
            return calls.get();
        } finally {
            exchanges.remove(host.id());
        }
    }

    /** The host's agent: the exchange's, or read now. */
    Target of(HostView host) {
        Target target = open.get().get(host.id());
        if (target != null) {
            return target;
        }
        return endpoints.of(host);
    }
}
