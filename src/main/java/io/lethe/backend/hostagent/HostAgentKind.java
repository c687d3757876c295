package io.lethe.backend.hostagent;

import io.lethe.host.BackendKind;
import io.lethe.host.BackendSettings;
import io.lethe.host.BackendSpec;
import io.lethe.host.BackendType;
import io.lethe.host.CacheInvalidation;
import io.lethe.host.HostView;
import io.lethe.host.InvalidBackendSetting;
import io.lethe.security.SealedFor;
import io.lethe.security.SecretCipher;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The host-agent backend's settings: where the agent is (under the {@link AgentTargets} policy) and
 * its token, sealed for the host and that URL so that it goes nowhere else.
 */
@Component
@Order(2)
class HostAgentKind implements BackendKind {

    static final BackendType TYPE = BackendType.of("host-agent");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The document: what an agent host keeps of its settings besides the sealed token. */
    record Settings(String url) {
        static Settings of(String document) {
            return JSON.readValue(document, Settings.class);
        }
    }

    private final AgentTargets targets;
    private final SecretCipher cipher;

    HostAgentKind(AgentTargets targets, SecretCipher cipher) {
        this.targets = targets;
        this.cipher = cipher;
    }

    @Override
    public BackendType type() {
        return TYPE;
    }

    @Override
    public Class<? extends BackendSpec> specType() {
        return HostAgentSpec.class;
    }

    @Override
    public Settled settle(UUID hostId, BackendSpec given) {
        HostAgentSpec agent = (HostAgentSpec) given;
        String refusal = targets.refusal(agent.url());
        if (refusal != null) {
            throw new InvalidBackendSetting("backend.url", refusal);
        }
        String document = JSON.writeValueAsString(new Settings(agent.url()));
        // Fail closed: until the agent has reported bare metal, nothing may be erased there.
        return new Settled(
                new BackendSettings(
                        document, cipher.seal(agent.token(), secretOwner(hostId, document))),
                CacheInvalidation.UNSUPPORTED);
    }

    /** What an agent host shows of its settings: never the token, only whether one is kept. */
    record Shown(String url, Boolean tokenSet) {}

    @Override
    public HostView.Backend show(BackendSettings kept) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("url", Settings.of(kept.document()).url());
        shown.put("tokenSet", kept.sealedSecret() != null);
        return new HostView.Backend(type(), shown);
    }

    @Override
    public Class<? extends Record> shownType() {
        return Shown.class;
    }

    @Override
    public SealedFor secretOwner(UUID hostId, String document) {
        return SealedFor.agentToken(hostId, Settings.of(document).url());
    }

    @Override
    public boolean takesRegisteredPassphrases() {
        return false;
    }
}
