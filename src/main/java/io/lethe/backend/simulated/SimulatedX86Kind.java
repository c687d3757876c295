package io.lethe.backend.simulated;

import io.lethe.common.WireEnum;
import io.lethe.host.BackendKind;
import io.lethe.host.BackendSettings;
import io.lethe.host.BackendSpec;
import io.lethe.host.BackendType;
import io.lethe.host.CacheInvalidation;
import io.lethe.host.HostView;
import io.lethe.host.InvalidBackendSetting;
import io.lethe.security.SealedFor;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulated x86 backend's settings: whether the host behaves as a VM guest, and the latencies
 * and faults injected into its hardware, kept as a document of their own. It keeps no secret.
 */
@Component
@Order(1)
class SimulatedX86Kind implements BackendKind {

    static final BackendType TYPE = BackendType.of("simulated-x86");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Where a simulated host takes injected latencies and faults: named after the workflow steps
     * whose backend call they hit, as the API has always accepted them; {@link SimulatedAction}
     * translates them to the simulator's own actions.
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

    /** The document: what a simulated host keeps of its settings, and shows of them. */
    record Settings(
            Boolean virtualized, Map<String, String> latencies, Map<String, String> faults) {

        static Settings of(BackendSettings kept) {
            Settings read = JSON.readValue(kept.document(), Settings.class);
            return new Settings(
                    Boolean.TRUE.equals(read.virtualized()),
                    read.latencies() == null ? Map.of() : read.latencies(),
                    read.faults() == null ? Map.of() : read.faults());
        }
    }

    private final SimulatedBackendProperties properties;

    SimulatedX86Kind(SimulatedBackendProperties properties) {
        this.properties = properties;
    }

    @Override
    public BackendType type() {
        return TYPE;
    }

    @Override
    public Class<? extends BackendSpec> specType() {
        return SimulatedX86Spec.class;
    }

    @Override
    public Settled settle(UUID hostId, BackendSpec given) {
        if (!properties.enabled()) {
            throw new SimulatedBackendDisabled();
        }
        SimulatedX86Spec sim = (SimulatedX86Spec) given;
        boolean virtualized = Boolean.TRUE.equals(sim.virtualized());
        Settings settings =
                new Settings(virtualized, latencies(sim.latencies()), faults(sim.faults()));
        // A VM guest cannot invalidate host-physical caches: the simulation refuses like the
        // kernel.
        return new Settled(
                new BackendSettings(JSON.writeValueAsString(settings), null),
                virtualized ? CacheInvalidation.UNSUPPORTED : CacheInvalidation.SUPPORTED);
    }

    @Override
    public HostView.Backend show(BackendSettings kept) {
        Settings settings = Settings.of(kept);
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("virtualized", settings.virtualized());
        shown.put("latencies", Map.copyOf(settings.latencies()));
        shown.put("faults", Map.copyOf(settings.faults()));
        return new HostView.Backend(type(), shown);
    }

    @Override
    public Class<? extends Record> shownType() {
        return Settings.class;
    }

    /** The faults injected into a simulated host, by injection point. */
    @SuppressWarnings("unchecked")
    static Map<String, String> faults(HostView host) {
        return (Map<String, String>) host.backend().shown().getOrDefault("faults", Map.of());
    }

    /** The latencies injected into a simulated host, by injection point. */
    @SuppressWarnings("unchecked")
    static Map<String, String> latencies(HostView host) {
        return (Map<String, String>) host.backend().shown().getOrDefault("latencies", Map.of());
    }

    /** Whether a simulated host behaves as a VM guest. */
    static boolean virtualized(HostView host) {
        return Boolean.TRUE.equals(host.backend().shown().get("virtualized"));
    }

    @Override
    public SealedFor secretOwner(UUID hostId, String document) {
        throw new IllegalStateException("a simulated host keeps no secret");
    }

    @Override
    public boolean takesRegisteredPassphrases() {
        return true;
    }

    private static Map<String, String> latencies(Map<String, String> latencies) {
        Map<String, String> checked = new TreeMap<>();
        if (latencies == null) {
            return checked;
        }
        latencies.forEach(
                (step, value) -> {
                    String field = "backend.latencies." + step;
                    checkPoint(field, step);
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

    private static Map<String, String> faults(Map<String, String> faults) {
        Map<String, String> checked = new TreeMap<>();
        if (faults == null) {
            return checked;
        }
        faults.forEach(
                (step, value) -> {
                    String field = "backend.faults." + step;
                    checkPoint(field, step);
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

    private static void checkPoint(String field, String step) {
        if (!INJECTION_POINTS.contains(step)) {
            throw new InvalidBackendSetting(field, "'" + step + "' is not a step name");
        }
    }
}
