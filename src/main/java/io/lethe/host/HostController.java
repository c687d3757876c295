package io.lethe.host;

import io.lethe.common.CursorPage;
import io.lethe.common.Keyset;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/hosts", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Hosts", description = "Bare-metal hosts and their backends")
class HostController {

    private final HostService hosts;

    HostController(HostService hosts) {
        this.hosts = hosts;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "registerHost",
            summary = "Register a host with its backend",
            description =
                    "The agent token of a host-agent backend is stored encrypted and never returned.")
    ResponseEntity<HostView> register(@Valid @RequestBody RegisterHostRequest request) {
        HostView host = hosts.register(request);
        return ResponseEntity.created(URI.create("/api/v1/hosts/" + host.id())).body(host);
    }

    @GetMapping
    @Operation(
            operationId = "listHosts",
            summary = "List hosts, oldest first, with keyset pagination")
    CursorPage<HostView> list(
            @Parameter(description = "Page size, 1 to 1000") @RequestParam(required = false)
                    Integer limit,
            @Parameter(description = "nextCursor of the previous page")
                    @RequestParam(required = false)
                    String cursor) {
        return hosts.list(Keyset.of(limit, cursor));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getHost", summary = "Read a host")
    HostView get(@PathVariable String id) {
        return hosts.get(id);
    }
}
