package io.lethe.host;

import io.lethe.security.SealedFor;
import java.util.UUID;

/**
 * A kind of backend, as the host inventory meets it: each backend (in {@code backend/}) implements
 * one, and the inventory keeps what it is given without knowing what is in it. A host keeps its
 * backend's type, a settings document of the backend's own making, and at most one secret sealed
 * for the owner the backend names.
 */
public interface BackendKind {

    BackendType type();

    /**
     * The record of its settings as a client gives them at registration, read from JSON under
     * {@code "type": type().wire()} and described in the OpenAPI document by its {@code @Schema}.
     */
    Class<? extends BackendSpec> specType();

    /**
     * The settings a client gave for a host, checked and made what the host keeps: the document,
     * the secret sealed for {@link #secretOwner}, and how far the host may invalidate its caches
     * until discovery says otherwise.
     *
     * @throws InvalidBackendSetting naming the field at fault (or another refusal of the backend's)
     */
    Settled settle(UUID hostId, BackendSpec given);

    /** What clients see of the settings: never the secret, only whether one is kept. */
    HostView.Backend show(BackendSettings kept);

    /**
     * The record whose fields {@link #show} shows, for the OpenAPI document: the host body's {@code
     * backend} has the fields of every built-in backend's.
     */
    Class<? extends Record> shownType();

    /** Whom the host's secret is sealed for, given the host's settings document. */
    SealedFor secretOwner(UUID hostId, String document);

    /**
     * Whether a device of its hosts is registered with its passphrase: a simulated device keeps
     * one, a real device's never travels through the inventory.
     */
    boolean takesRegisteredPassphrases();

    /** Settings made ready to keep, and the host's cache invalidation until discovery. */
    record Settled(BackendSettings settings, CacheInvalidation cacheInvalidation) {}
}
