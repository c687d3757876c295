package io.lethe.backend.hostagent;

import io.lethe.agent.AgentWire;
import io.lethe.backend.BackendException;
import io.lethe.backend.hostagent.AgentClient.Call;
import io.lethe.backend.hostagent.AgentClient.Target;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Whether an agent fences region commands. Lethe drives no agent's regions unless it does: an agent
 * without fencing would act on a reset or commit that reaches it late, after a later decision of
 * the region (an agent from before fencing also ignores the token it is sent). Asked once per agent
 * address and process; an answer without the capability is asked again next time.
 */
@Component
class AgentCapabilities {

    private final AgentClient client;
    private final Set<String> fencing = ConcurrentHashMap.newKeySet();

    AgentCapabilities(AgentClient client) {
        this.client = client;
    }

    /**
     * @throws BackendException.Refused when the agent does not advertise region fencing
     */
    void requireFencing(Target target) {
        if (fencing.contains(target.url())) {
            return;
        }
        AgentWire.Capabilities capabilities;
        String why;
        try {
            capabilities =
                    client.call(
                            target,
                            "GET",
                            "/agent/v1/capabilities",
                            null,
                            AgentWire.Capabilities.class,
                            Call.IDEMPOTENT);
            why = "its capabilities do not include regionFencing";
        } catch (BackendException.Refused older) {
            // An agent from before fencing has no such endpoint (404).
            capabilities = null;
            why = older.getMessage();
        }
        if (capabilities == null || !capabilities.regionFencing()) {
            throw new BackendException.Refused(
                    "the agent at "
                            + target.url()
                            + " does not fence region commands ("
                            + why
                            + "); upgrade it: Lethe does not reset or commit its regions until then");
        }
        fencing.add(target.url());
    }
}
