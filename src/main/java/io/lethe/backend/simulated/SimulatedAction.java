package io.lethe.backend.simulated;

import io.lethe.host.HostView;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulated machine's actions, which injected latencies and faults are keyed by. A host is
 * registered with keys named after the workflow steps whose backend call they hit (the public
 * contract, kept as it was); this translates them. {@code attach-region} and {@code
 * reattach-region} are both the region commit; {@code retire} calls no hardware and so injects
 * nothing.
 */
enum SimulatedAction {
    READ_DEVICE("precheck"),
    UNLOCK("unlock"),
    START_ERASE("erase"),
    DETACH_REGION("detach-region"),
    COMMIT_REGION("attach-region", "reattach-region"),
    INVALIDATE_CACHES("invalidate-cache"),
    READ_THROUGH_CPU("verify");

    private final List<String> keys;

    SimulatedAction(String... keys) {
        this.keys = List.of(keys);
    }

    /**
     * The fault injected into this action on the host ({@code fail}, {@code fail-once}, {@code
     * timeout}), or null.
     */
    String fault(HostView host) {
        return first(SimulatedX86Kind.faults(host));
    }

    /** The latency injected into this action on the host; zero when none. */
    Duration latency(HostView host) {
        String latency = first(SimulatedX86Kind.latencies(host));
        return latency == null ? Duration.ZERO : Duration.parse(latency);
    }

    /** The key the fault was registered with, as messages name it. */
    String faultKey(HostView host) {
        return keys.stream()
                .filter(SimulatedX86Kind.faults(host)::containsKey)
                .findFirst()
                .orElse(keys.get(0));
    }

    /**
     * What a one-shot fault of this action is remembered by in the machine (the action, not a
     * step).
     */
    String faultId() {
        return name().toLowerCase(Locale.ROOT);
    }

    private String first(Map<String, String> byKey) {
        return keys.stream().map(byKey::get).filter(v -> v != null).findFirst().orElse(null);
    }
}
