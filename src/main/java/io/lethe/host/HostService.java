package io.lethe.host;

import io.lethe.audit.AuditLog;
import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.common.Loads;
import io.lethe.common.WireEnum;
import io.lethe.host.HostProblems.HostNameTaken;
import io.lethe.host.HostProblems.InvalidBackendSetting;
import io.lethe.security.Actors;
import io.lethe.security.SealedFor;
import io.lethe.security.SecretCipher;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The host inventory: registration and reads. Other modules look hosts up here. */
@Service
public class HostService {

    private final HostRepository hosts;
    private final SecretCipher cipher;
    private final Clock clock;

    private final AuditLog audit;

    private final BackendsProperties backends;
    private final AgentTargets agentTargets;

    private final EntityManager entities;

    HostService(
            HostRepository hosts,
            SecretCipher cipher,
            Clock clock,
            AuditLog audit,
            BackendsProperties backends,
            AgentTargets agentTargets,
            EntityManager entities) {
        this.entities = entities;
        this.agentTargets = agentTargets;
        this.backends = backends;
        this.audit = audit;
        this.hosts = hosts;
        this.cipher = cipher;
        this.clock = clock;
    }

    @Transactional
    HostView register(RegisterHostRequest request) {
        if (request.backend() instanceof BackendSpec.SimulatedX86
                && !backends.simulated().enabled()) {
            throw new HostProblems.SimulatedBackendDisabled();
        }
        if (hosts.existsByName(request.name())) {
            throw new HostNameTaken(request.name());
        }
        Map<String, String> labels = request.labels() == null ? Map.of() : request.labels();
        Host host;
        if (request.backend() instanceof BackendSpec.SimulatedX86 sim) {
            host =
                    Host.simulated(
                            Ids.newId(),
                            request.name(),
                            labels,
                            Boolean.TRUE.equals(sim.virtualized()),
                            checkLatencies(sim.latencies()),
                            checkFaults(sim.faults()),
                            clock.instant());
        } else {
            BackendSpec.HostAgent agent = (BackendSpec.HostAgent) request.backend();
            String refusal = agentTargets.refusal(agent.url());
            if (refusal != null) {
                throw new InvalidBackendSetting("backend.url", refusal);
            }
            UUID id = Ids.newId();
            host =
                    Host.agent(
                            id,
                            request.name(),
                            labels,
                            agent.url(),
                            cipher.seal(agent.token(), SealedFor.agentToken(id, agent.url())),
                            clock.instant());
        }
        HostView registered;
        try {
            registered = HostView.of(hosts.saveAndFlush(host));
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
                        + (request.backend() instanceof BackendSpec.SimulatedX86
                                ? "simulated-x86"
                                : "host-agent")
                        + " backend");
        return registered;
    }

    /**
     * Where a host-agent host's agent is and its token, for its backend only; the token is never
     * logged or returned. Both come from one read of the host's row, and the token is sealed for
     * the host and that URL: it goes nowhere else.
     *
     * @throws AgentRegistrationBroken when it does not open for them (changed outside Lethe)
     */
    @Transactional(readOnly = true)
    public AgentEndpoint agentEndpoint(UUID id) {
        Host host = hosts.findById(id).orElseThrow(() -> new HostNotFound(String.valueOf(id)));
        if (host.agentTokenSealed() == null || host.agentUrl() == null) {
            throw new AgentRegistrationBroken(host.name(), host.id());
        }
        try {
            return new AgentEndpoint(
                    host.agentUrl(),
                    cipher.open(
                            host.agentTokenSealed(),
                            SealedFor.agentToken(host.id(), host.agentUrl())));
        } catch (SecretCipher.SecretUnreadable e) {
            throw new AgentRegistrationBroken(host.name(), host.id());
        }
    }

    /** An agent's URL and the token that may be sent there. */
    public record AgentEndpoint(String url, String token) {
        @Override
        public String toString() {
            return "AgentEndpoint[url=" + url + "]";
        }
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
        return hosts.findById(id).map(HostView::of);
    }

    /**
     * The views of the hosts with these ids that exist, by id, as the caller's transaction sees
     * them; loaded together without flushing it first (see {@link Loads}).
     */
    @Transactional(readOnly = true)
    public Map<UUID, HostView> views(Collection<UUID> ids) {
        return Loads.views(entities, Host.class, ids, Host::id, HostView::of);
    }

    /** The hosts with these ids that exist. */
    @Transactional(readOnly = true)
    public List<HostView> findAll(Collection<UUID> ids) {
        return hosts.findAllById(ids).stream().map(HostView::of).toList();
    }

    /** The hosts carrying every one of these labels with the same value. */
    @Transactional(readOnly = true)
    public List<HostView> findByLabels(Map<String, String> labels) {
        return hosts.findAll().stream()
                .map(HostView::of)
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
        return CursorPage.of(rows, keyset, Host::id, HostView::of);
    }

    private static Map<String, String> checkLatencies(Map<String, String> latencies) {
        Map<String, String> checked = new TreeMap<>();
        if (latencies == null) {
            return checked;
        }
        latencies.forEach(
                (step, value) -> {
                    String field = "backend.latencies." + step;
                    checkStep(field, step);
                    try {
                        Duration d = Duration.parse(value);
                        if (d.isNegative() || d.compareTo(Duration.ofHours(24)) > 0) {
                            throw new InvalidBackendSetting(
                                    field, "must be between PT0S and PT24H, was " + value);
                        }
                        checked.put(step, d.toString());
                    } catch (DateTimeParseException | NullPointerException e) {
                        throw new InvalidBackendSetting(
                                field, "must be an ISO-8601 duration such as PT0.5S, was " + value);
                    }
                });
        return checked;
    }

    private static Map<String, String> checkFaults(Map<String, String> faults) {
        Map<String, String> checked = new TreeMap<>();
        if (faults == null) {
            return checked;
        }
        faults.forEach(
                (step, value) -> {
                    String field = "backend.faults." + step;
                    checkStep(field, step);
                    Fault fault =
                            WireEnum.fromWire(Fault.class, value)
                                    .orElseThrow(
                                            () ->
                                                    new InvalidBackendSetting(
                                                            field,
                                                            "must be one of fail, fail-once, timeout, was "
                                                                    + value));
                    checked.put(step, fault.wire());
                });
        return checked;
    }

    /**
     * Where a simulated host takes injected latencies and faults: named after the workflow steps
     * whose backend call they hit, as the API has always accepted them; the simulator translates
     * them to its own actions.
     */
    private static final Set<String> INJECTION_POINTS =
            Set.of(
                    "precheck",
                    "detach-region",
                    "erase",
                    "unlock",
                    "invalidate-cache",
                    "reattach-region",
                    "attach-region",
                    "verify",
                    "retire");

    private static void checkStep(String field, String step) {
        if (!INJECTION_POINTS.contains(step)) {
            throw new InvalidBackendSetting(field, "'" + step + "' is not a step name");
        }
    }
}
