package io.lethe.host;

import io.lethe.audit.AuditLog;
import io.lethe.common.Ids;
import io.lethe.host.HostProblems.InvalidBackendSetting;
import io.lethe.security.Actors;
import io.lethe.security.SealedFor;
import io.lethe.security.SecretCipher;
import java.time.Clock;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers a host's agent again: the way back for a host whose agent registration broke (its URL
 * or sealed token changed outside Lethe), and how an agent moves or gets a new token. The new token
 * is sealed for the host and the new URL, in the transaction that records the audit entry.
 */
@Service
class AgentRegistrations {

    private final HostRepository hosts;
    private final SecretCipher cipher;
    private final AgentTargets targets;
    private final AuditLog audit;
    private final Clock clock;

    AgentRegistrations(
            HostRepository hosts,
            SecretCipher cipher,
            AgentTargets targets,
            AuditLog audit,
            Clock clock) {
        this.hosts = hosts;
        this.cipher = cipher;
        this.targets = targets;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    HostView registerAgain(String id, RegisterAgentRequest request) {
        Host host = Ids.parse(id).flatMap(hosts::findById).orElseThrow(() -> new HostNotFound(id));
        if (host.backendType() != BackendType.HOST_AGENT) {
            throw new HostProblems.NoAgent(host.name());
        }
        String refusal = targets.refusal(request.url());
        if (refusal != null) {
            throw new InvalidBackendSetting("url", refusal);
        }
        host.registerAgentAgain(
                request.url(),
                cipher.seal(request.token(), SealedFor.agentToken(host.id(), request.url())),
                clock.instant());
        HostView view = HostView.of(hosts.saveAndFlush(host));
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
