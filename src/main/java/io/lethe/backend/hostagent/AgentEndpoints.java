package io.lethe.backend.hostagent;

import io.lethe.backend.BackendException;
import io.lethe.backend.hostagent.AgentClient.Target;
import io.lethe.host.BackendSettings;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.security.SealedFor;
import io.lethe.security.SecretCipher;
import org.springframework.stereotype.Component;

/**
 * Where a host's agent is and the token it takes, from one read of what the host keeps: the token
 * is opened here, for the host and that URL only, and never logged or returned.
 */
@Component
class AgentEndpoints {

    private final HostService hosts;
    private final SecretCipher cipher;

    AgentEndpoints(HostService hosts, SecretCipher cipher) {
        this.hosts = hosts;
        this.cipher = cipher;
    }

    /**
     * @throws BackendException.Refused when the host keeps no agent, or its token does not open for
     *     the host and URL it keeps (changed outside Lethe: {@link AgentRegistrationBroken})
     */
    Target of(HostView host) {
        BackendSettings kept = hosts.backendSettings(host.id());
        String url = HostAgentKind.Settings.of(kept.document()).url();
        if (url == null) {
            throw new BackendException.Refused("host " + host.name() + " has no agent URL");
        }
        if (kept.sealedSecret() == null) {
            throw new BackendException.Refused(
                    new AgentRegistrationBroken(host.name(), host.id()).getMessage());
        }
        try {
            return new Target(
                    url, cipher.open(kept.sealedSecret(), SealedFor.agentToken(host.id(), url)));
        } catch (SecretCipher.SecretUnreadable e) {
            throw new BackendException.Refused(
                    new AgentRegistrationBroken(host.name(), host.id()).getMessage());
        }
    }
}
