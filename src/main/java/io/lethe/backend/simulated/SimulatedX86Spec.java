package io.lethe.backend.simulated;

import io.lethe.host.BackendSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * In-process simulation of an x86 host, as given at registration.
 *
 * @param virtualized when true the host behaves like a VM guest: cache invalidation is refused
 * @param latencies per step name, an ISO-8601 duration the simulated step takes
 * @param faults per step name, {@code fail}, {@code fail-once} or {@code timeout}
 */
@Schema(
        name = "SimulatedX86Backend",
        example =
                """
        {"type": "simulated-x86", "virtualized": false, "latencies": {"erase": "PT0.5S"},
         "faults": {"invalidate-cache": "fail-once"}}""")
record SimulatedX86Spec(
        @Schema(
                        description = "Behave like a VM guest: cache invalidation is refused",
                        defaultValue = "false")
                Boolean virtualized,
        @Size(max = 16) Map<String, String> latencies,
        @Size(max = 16) Map<String, String> faults)
        implements BackendSpec {}
