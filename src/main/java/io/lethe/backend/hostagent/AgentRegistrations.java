package io.lethe.backend.hostagent;

import io.lethe.audit.AuditLog;
import io.lethe.host.BackendKind;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.host.InvalidBackendSetting;
import io.lethe.security.Actors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers a host's agent again: the way back for a host whose agent registration broke (its URL
 * or sealed token changed outside Lethe), and how an agent moves or gets a new token. The new
 * settings are settled as at registration (the URL policy, the token sealed for the host and the
 * new URL) and kept by the host in the transaction that records the audit entry; until the next
 * discovery nothing is erased there.
 */
@Service
class AgentRegistrations {

    private final HostService hosts;
    private final HostAgentKind agents;
    private final AuditLog audit;

    AgentRegistrations(HostService hosts, HostAgentKind agents, AuditLog audit) {
        this.hosts = hosts;
        this.agents = agents;
        this.audit = audit;
    }

    @Transactional
    HostView registerAgain(String id, RegisterAgentRequest request) {
        HostView host = hosts.get(id);
        if (!host.backend().type().equals(agents.type())) {
            throw new NoAgent(host.name());
        }
        BackendKind.Settled settled;
        try {
            settled = agents.settle(host.id(), new HostAgentSpec(request.url(), request.token()));
        } catch (InvalidBackendSetting refused) {
            // the request's own field, not the registration body's backend.url
            throw refused.at("url");
        }
        HostView view = hosts.reconfigure(host.id(), settled);
        audit.recordAdmin(
                Actors.current(),
                "agent-registered",
                host.id(),
                null,
                "agent of host "
                        + host.name()
                        + " registered again at "
                        + request.url()
                        + "; nothing is erased there until its next discovery");
        return view;
    }
}
