package io.lethe.host;

import io.lethe.common.StringMapJson;
import io.lethe.common.WireEnum;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** A bare-metal machine and the backend through which Lethe drives its memory devices. */
@Entity
@Table(name = "hosts")
class Host {

    @Id private UUID id;
    private String name;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "host_labels", joinColumns = @JoinColumn(name = "host_id"))
    @MapKeyColumn(name = "label_key")
    @Column(name = "label_value")
    private Map<String, String> labels = new TreeMap<>();

    @Column(name = "backend_type")
    private String backendType;

    private boolean virtualized;

    @Convert(converter = StringMapJson.class)
    private Map<String, String> latencies = new TreeMap<>();

    @Convert(converter = StringMapJson.class)
    private Map<String, String> faults = new TreeMap<>();

    @Column(name = "agent_url")
    private String agentUrl;

    /** The agent token sealed by SecretCipher; never the token itself. */
    @Column(name = "agent_token_enc")
    private String agentTokenSealed;

    @Column(name = "cache_invalidation")
    private String cacheInvalidation;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version private long version;

    protected Host() {}

    static Host simulated(
            UUID id,
            String name,
            Map<String, String> labels,
            boolean virtualized,
            Map<String, String> latencies,
            Map<String, String> faults,
            Instant now) {
        Host host = new Host(id, name, labels, BackendType.SIMULATED_X86, now);
        host.virtualized = virtualized;
        host.latencies = new TreeMap<>(latencies);
        host.faults = new TreeMap<>(faults);
        // A VM guest cannot invalidate host-physical caches: the simulation refuses like the
        // kernel.
        host.cacheInvalidation =
                (virtualized ? CacheInvalidation.UNSUPPORTED : CacheInvalidation.SUPPORTED).wire();
        return host;
    }

    static Host agent(
            UUID id,
            String name,
            Map<String, String> labels,
            String url,
            String sealedToken,
            Instant now) {
        Host host = new Host(id, name, labels, BackendType.HOST_AGENT, now);
        host.agentUrl = url;
        host.agentTokenSealed = sealedToken;
        // Fail closed: until the agent has reported bare metal, nothing may be erased there.
        host.cacheInvalidation = CacheInvalidation.UNSUPPORTED.wire();
        return host;
    }

    private Host(UUID id, String name, Map<String, String> labels, BackendType type, Instant now) {
        this.id = id;
        this.name = name;
        this.labels = new TreeMap<>(labels);
        this.backendType = type.wire();
        this.createdAt = now;
        this.updatedAt = now;
    }

    /**
     * The host's agent, registered again: its URL and its token sealed for this host and that URL.
     * Until its next discovery nothing may be erased there, as after the first registration.
     */
    void registerAgentAgain(String url, String sealedToken, Instant now) {
        agentUrl = url;
        agentTokenSealed = sealedToken;
        cacheInvalidation = CacheInvalidation.UNSUPPORTED.wire();
        updatedAt = now;
    }

    boolean recordCacheInvalidation(CacheInvalidation capability, Instant now) {
        if (capability.wire().equals(cacheInvalidation)) {
            return false;
        }
        cacheInvalidation = capability.wire();
        updatedAt = now;
        return true;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    Map<String, String> labels() {
        return labels;
    }

    BackendType backendType() {
        return WireEnum.require(BackendType.class, backendType);
    }

    boolean virtualized() {
        return virtualized;
    }

    Map<String, String> latencies() {
        return latencies;
    }

    Map<String, String> faults() {
        return faults;
    }

    String agentUrl() {
        return agentUrl;
    }

    String agentTokenSealed() {
        return agentTokenSealed;
    }

    CacheInvalidation cacheInvalidation() {
        return WireEnum.require(CacheInvalidation.class, cacheInvalidation);
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }
}
