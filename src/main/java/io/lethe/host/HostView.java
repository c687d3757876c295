package io.lethe.host;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** A registered host as clients and other modules see it; never carries the agent token. */
@Schema(name = "Host")
public record HostView(
        UUID id,
        @Schema(example = "r7-n12") String name,
        @Schema(example = "{\"rack\": \"7\", \"pool\": \"gpu\"}") Map<String, String> labels,
        Backend backend,
        Capabilities capabilities,
        Instant createdAt,
        Instant updatedAt) {

    /**
     * The host's backend as clients see it: its type, and what its backend shows of its settings
     * ({@link BackendKind#show}, described by {@link BackendKind#shownType()}); never a secret, an
     * agent host shows only whether a token is set.
     */
    @Schema(name = "HostBackend")
    public static final class Backend {

        private final BackendType type;
        private final Map<String, Object> shown;

        /** {@code shown}: the backend's fields by name; those without a value are left out. */
        public Backend(BackendType type, Map<String, ?> shown) {
            this.type = type;
            Map<String, Object> kept = new LinkedHashMap<>();
            shown.forEach(
                    (name, value) -> {
                        if (value != null) {
                            kept.put(name, value);
                        }
                    });
            this.shown = Collections.unmodifiableMap(kept);
        }

        @JsonProperty("type")
        public BackendType type() {
            return type;
        }

        /** The backend's own fields, in the JSON beside {@code type}. */
        @JsonAnyGetter
        public Map<String, Object> shown() {
            return shown;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Backend that
                    && type.equals(that.type)
                    && shown.equals(that.shown);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, shown);
        }

        @Override
        public String toString() {
            return "Backend[type=" + type + ", shown=" + shown + "]";
        }
    }

    /** What the host can do; {@code cacheInvalidation} gates every erase and unlock. */
    public record Capabilities(CacheInvalidation cacheInvalidation) {}

    public boolean canInvalidateCaches() {
        return capabilities.cacheInvalidation() == CacheInvalidation.SUPPORTED;
    }

    static HostView of(Host host, BackendKinds kinds) {
        Backend backend = kinds.of(host.backendType()).show(host.backendSettings());
        return new HostView(
                host.id(),
                host.name(),
                Map.copyOf(host.labels()),
                backend,
                new Capabilities(host.cacheInvalidation()),
                host.createdAt(),
                host.updatedAt());
    }
}
