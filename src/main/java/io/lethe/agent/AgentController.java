package io.lethe.agent;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Base64;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The agent API, version 1: what the orchestrator's {@code host-agent} backend calls. */
@RestController
@RequestMapping("/agent/v1")
@Tag(
        name = "agent",
        description =
                "Kernel actions on this host (agent mode); every request needs the agent token")
@SecurityRequirement(name = "agent-token")
class AgentController {

    private final AgentDevices devices;
    private final AgentSecurity security;
    private final AgentErases erases;
    private final AgentRegions regions;
    private final Invalidations invalidations;

    AgentController(
            AgentDevices devices,
            AgentSecurity security,
            AgentErases erases,
            AgentRegions regions,
            Invalidations invalidations) {
        this.devices = devices;
        this.security = security;
        this.erases = erases;
        this.regions = regions;
        this.invalidations = invalidations;
    }

    @GetMapping("/inventory")
    @Operation(
            summary =
                    "CXL memdevs, NVDIMMs and regions as the kernel shows them, and whether caches can be invalidated")
    AgentWire.Inventory inventory() {
        return devices.inventory();
    }

    @GetMapping("/devices/{serial}")
    @Operation(summary = "Security state of one device")
    AgentWire.DeviceState device(@PathVariable String serial) {
        return devices.read(serial);
    }

    @PostMapping("/devices/{serial}/unlock")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary =
                    "Unlock with the passphrase, or with the host's own sealed key where configured (a wrong one costs an attempt: 422 with attemptsLeft)")
    void unlock(@PathVariable String serial, @RequestBody AgentWire.UnlockRequest request) {
        if (request.key() != null && !request.key().equals("passphrase") && !request.hostKey()) {
            throw AgentProblem.badRequest("key must be passphrase or host-key");
        }
        security.unlock(serial, request);
    }

    @PostMapping("/devices/{serial}/passphrase-attempts/reset")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary =
                    "Reset the count of wrong passphrases, after a power cycle gave the device its attempts back")
    void resetAttemptEstimate(@PathVariable String serial) {
        security.resetAttemptEstimate(serial);
    }

    @PostMapping("/devices/{serial}/erase")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Start an erase under a ticket; the same ticket again starts nothing")
    AgentWire.EraseStatus erase(
            @PathVariable String serial, @RequestBody AgentWire.EraseRequest request) {
        return erases.start(serial, request);
    }

    @GetMapping("/erases/{ticket}")
    @Operation(
            summary = "Progress of the erase named by the ticket (not-started, running, completed)")
    AgentWire.EraseStatus erase(@PathVariable String ticket) {
        return erases.status(ticket);
    }

    @GetMapping("/capabilities")
    @Operation(summary = "What this agent does beyond the first agent API: region fencing")
    AgentWire.Capabilities capabilities() {
        return new AgentWire.Capabilities(true);
    }

    @PostMapping("/regions/{region}/reset")
    @Operation(
            summary =
                    "Reset the region's decoders (commit 0); the kernel invalidates caches at teardown."
                            + " Refused (409, code fenced) for a fencing token lower than one seen")
    AgentWire.RegionState reset(
            @PathVariable String region, @RequestBody(required = false) AgentWire.Fence fence) {
        return regions.decode(region, false, AgentWire.Fence.require(fence));
    }

    @PostMapping("/regions/{region}/commit")
    @Operation(
            summary =
                    "Commit the region's decoders (commit 1); the kernel invalidates caches first, ENXIO when it cannot."
                            + " Refused (409, code fenced) for a fencing token lower than one seen")
    AgentWire.RegionState commit(
            @PathVariable String region, @RequestBody(required = false) AgentWire.Fence fence) {
        return regions.decode(region, true, AgentWire.Fence.require(fence));
    }

    @PostMapping("/invalidate")
    @Operation(
            summary =
                    "Vouch for a cache invalidation: supported only on bare metal, never pretended")
    AgentWire.Invalidation invalidate() {
        return invalidations.invalidate();
    }

    @GetMapping("/regions/{region}/memory")
    @Operation(summary = "Read a member device's share of the region through the CPU's view")
    AgentWire.Memory read(
            @PathVariable String region,
            @RequestParam String serial,
            @RequestParam(defaultValue = "4096") int length) {
        return new AgentWire.Memory(
                Base64.getEncoder().encodeToString(regions.read(region, serial, length)));
    }

    @PutMapping("/regions/{region}/memory")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Write a member device's share of the region through the CPU's view")
    void write(
            @PathVariable String region,
            @RequestParam String serial,
            @RequestBody AgentWire.Memory memory) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(memory.data() == null ? "" : memory.data());
        } catch (IllegalArgumentException e) {
            throw AgentProblem.badRequest("data must be base64");
        }
        regions.write(region, serial, bytes);
    }
}
