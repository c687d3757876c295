package io.lethe.host;

import io.lethe.common.WireEnum;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
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

    /** The backend's own settings, a JSON document only it reads ({@link BackendKind}). */
    @Column(name = "backend_settings")
    private String backendSettings;

    /** The backend's secret sealed by SecretCipher for the owner it names; never the secret. */
    @Column(name = "backend_secret_enc")
    private String backendSecretSealed;

    @Column(name = "cache_invalidation")
    private String cacheInvalidation;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version private long version;

    protected Host() {}

    static Host registered(
            UUID id,
            String name,
            Map<String, String> labels,
            BackendType type,
            BackendKind.Settled settled,
            Instant now) {
        Host host = new Host(id, name, labels, type, now);
        host.keep(settled);
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
     * New settings of the same backend (an agent that moved or got a new token), with the cache
     * invalidation they start with: until the next discovery, as after the first registration.
     */
    void reconfigure(BackendKind.Settled settled, Instant now) {
        keep(settled);
        updatedAt = now;
    }

    private void keep(BackendKind.Settled settled) {
        backendSettings = settled.settings().document();
        backendSecretSealed = settled.settings().sealedSecret();
        cacheInvalidation = settled.cacheInvalidation().wire();
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
        return BackendType.of(backendType);
    }

    BackendSettings backendSettings() {
        return new BackendSettings(backendSettings, backendSecretSealed);
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
