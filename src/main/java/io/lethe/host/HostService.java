package io.lethe.host;

import io.lethe.audit.AuditLog;
import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.common.Loads;
import io.lethe.host.HostProblems.HostNameTaken;
import io.lethe.security.Actors;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The host inventory: registration and reads. Other modules look hosts up here. */
@Service
public class HostService {

    private final HostRepository hosts;
    private final Clock clock;

    private final AuditLog audit;

    private final BackendKinds kinds;

    private final EntityManager entities;

    HostService(
            HostRepository hosts,
            Clock clock,
            AuditLog audit,
            BackendKinds kinds,
            EntityManager entities) {
        this.entities = entities;
        this.kinds = kinds;
        this.audit = audit;
        this.hosts = hosts;
        this.clock = clock;
    }

    @Transactional
    HostView register(RegisterHostRequest request) {
        BackendKind kind = kinds.of(request.backend());
        if (hosts.existsByName(request.name())) {
            throw new HostNameTaken(request.name());
        }
        Map<String, String> labels = request.labels() == null ? Map.of() : request.labels();
        UUID id = Ids.newId();
        Host host =
                Host.registered(
                        id,
                        request.name(),
                        labels,
                        kind.type(),
                        kind.settle(id, request.backend()),
                        clock.instant());
        HostView registered;
        try {
            registered = view(hosts.saveAndFlush(host));
        } catch (DataIntegrityViolationException raced) {
            throw new HostNameTaken(request.name());
        }
        audit.recordAdmin(
                Actors.current(),
                "host-registered",
                registered.id(),
                null,
                "host "
                        + registered.name()
                        + " registered with a "
                        + kind.type().wire()
                        + " backend");
        return registered;
    }

    /**
     * What the host keeps of its backend's settings, for that backend only: the document, and the
     * secret as it is sealed; opening it is the backend's business, for the owner it names.
     */
    @Transactional(readOnly = true)
    public BackendSettings backendSettings(UUID id) {
        return hosts.findById(id)
                .orElseThrow(() -> new HostNotFound(String.valueOf(id)))
                .backendSettings();
    }

    /**
     * New settings of the host's own backend, settled by it ({@link BackendKind#settle}): an agent
     * that moved or got a new token. The caller audits the change in the same transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public HostView reconfigure(UUID id, BackendKind.Settled settled) {
        Host host = hosts.findById(id).orElseThrow(() -> new HostNotFound(String.valueOf(id)));
        host.reconfigure(settled, clock.instant());
        return view(hosts.saveAndFlush(host));
    }

    /**
     * What discovery learnt of the host's ability to invalidate its caches; answers whether it
     * changed.
     */
    @Transactional
    public boolean recordCacheInvalidation(UUID id, CacheInvalidation capability) {
        Host host = hosts.findById(id).orElseThrow(() -> new HostNotFound(String.valueOf(id)));
        return host.recordCacheInvalidation(capability, clock.instant());
    }

    @Transactional(readOnly = true)
    public HostView get(UUID id) {
        return find(id).orElseThrow(() -> new HostNotFound(String.valueOf(id)));
    }

    @Transactional(readOnly = true)
    public HostView get(String id) {
        return Ids.parse(id).flatMap(this::find).orElseThrow(() -> new HostNotFound(id));
    }

    @Transactional(readOnly = true)
    public Optional<HostView> find(UUID id) {
        return hosts.findById(id).map(this::view);
    }

    /**
     * The views of the hosts with these ids that exist, by id, as the caller's transaction sees
     * them; loaded together without flushing it first (see {@link Loads}).
     */
    @Transactional(readOnly = true)
    public Map<UUID, HostView> views(Collection<UUID> ids) {
        return Loads.views(entities, Host.class, ids, Host::id, this::view);
    }

    /** The hosts with these ids that exist. */
    @Transactional(readOnly = true)
    public List<HostView> findAll(Collection<UUID> ids) {
        return hosts.findAllById(ids).stream().map(this::view).toList();
    }

    /** The hosts carrying every one of these labels with the same value. */
    @Transactional(readOnly = true)
    public List<HostView> findByLabels(Map<String, String> labels) {
        return hosts.findAll().stream()
                .map(this::view)
                .filter(
                        h ->
                                labels.entrySet().stream()
                                        .allMatch(
                                                l ->
                                                        l.getValue()
                                                                .equals(
                                                                        h.labels()
                                                                                .get(l.getKey()))))
                .toList();
    }

    /** How many hosts are registered. */
    @Transactional(readOnly = true)
    public long count() {
        return hosts.count();
    }

    @Transactional(readOnly = true)
    CursorPage<HostView> list(Keyset keyset) {
        var rows =
                hosts.findByIdGreaterThanOrderByIdAsc(keyset.after(), Limit.of(keyset.fetchSize()));
        return CursorPage.of(rows, keyset, Host::id, this::view);
    }

    /** The backend of a host, for what it can do ({@link BackendKind}). */
    public BackendKind backendOf(HostView host) {
        return kinds.of(host.backend().type());
    }

    HostView view(Host host) {
        return HostView.of(host, kinds);
    }
}
