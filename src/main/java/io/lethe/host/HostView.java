package io.lethe.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
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

    /** Backend settings without secrets: an agent host shows only whether a token is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "HostBackend")
    public record Backend(
            @Schema(implementation = String.class) BackendType type,
            Boolean virtualized,
            Map<String, String> latencies,
            Map<String, String> faults,
            String url,
            Boolean tokenSet) {}

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
