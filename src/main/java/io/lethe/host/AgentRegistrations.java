package io.lethe.host;

import io.lethe.audit.AuditLog;
import io.lethe.common.Ids;
import io.lethe.security.Actors;
import java.time.Clock;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers a host's agent again: the way back for a host whose agent registration broke (its URL
 * or sealed token changed outside Lethe), and how an agent moves or gets a new token. The host's
 * backend settles the new settings as at registration (its URL policy, its secret sealed for the
 * host and the new URL), in the transaction that records the audit entry; a host whose backend
 * takes no agent settings is refused.
 */
@Service
class AgentRegistrations {

    private final HostRepository hosts;
    private final BackendKinds kinds;
    private final AuditLog audit;
    private final Clock clock;

    AgentRegistrations(HostRepository hosts, BackendKinds kinds, AuditLog audit, Clock clock) {
        this.hosts = hosts;
        this.kinds = kinds;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    HostView registerAgain(String id, RegisterAgentRequest request) {
        Host host = Ids.parse(id).flatMap(hosts::findById).orElseThrow(() -> new HostNotFound(id));
        BackendKind kind = kinds.of(host.backendType());
        BackendSpec.HostAgent agent = new BackendSpec.HostAgent(request.url(), request.token());
        if (!kind.accepts(agent)) {
            throw new HostProblems.NoAgent(host.name());
        }
        BackendKind.Settled settled;
        try {
            settled = kind.settle(host.id(), agent);
        } catch (InvalidBackendSetting refused) {
            // the request's own field, not the registration body's backend.url
            throw refused.at("url");
        }
        host.reconfigure(settled, clock.instant());
        HostView view = HostView.of(hosts.saveAndFlush(host), kinds);
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
