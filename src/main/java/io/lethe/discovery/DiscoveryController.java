package io.lethe.discovery;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Hosts", description = "Bare-metal hosts and their backends")
class DiscoveryController {

    private final DiscoveryService discovery;

    DiscoveryController(DiscoveryService discovery) {
        this.discovery = discovery;
    }

    @PostMapping(path = "/api/v1/hosts/{id}/discover", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "discoverHost",
            summary =
                    "Read devices and regions from the host's agent and record them (idempotent; reports what changed)")
    DiscoveryReport discover(@PathVariable String id) {
        return discovery.discover(id);
    }
}
