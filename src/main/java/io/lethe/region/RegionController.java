package io.lethe.region;

import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.region.RegionProblems.InvalidRegionFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Regions", description = "Host-physical address ranges interleaved across devices")
class RegionController {

    private final RegionService regions;
    private final RegionProbe hardware;

    RegionController(RegionService regions, RegionProbe hardware) {
        this.regions = regions;
        this.hardware = hardware;
    }

    @PostMapping(
            path = "/api/v1/hosts/{hostId}/regions",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "declareRegion",
            summary = "Declare a region over devices of the host",
            description =
                    "1, 2, 4, 8 or 16 available devices of this host, each in no other region (409 when a member is"
                            + " busy, quarantined or decommissioned). The region starts detached: nothing decodes until"
                            + " Lethe commits it. With every member unlocked, the answer names the attach-region operation"
                            + " Lethe started (attachOperationId): it invalidates the host's CPU caches first when the"
                            + " addresses decoded for a since-removed region after the host's last invalidation, then"
                            + " commits the region; wait for it (GET /api/v1/operations/{id}?wait=PT30S). With a member"
                            + " locked or sanitizing none is started: that member's unlock or erase attaches the region."
                            + " On a host that cannot invalidate its caches, addresses still exposed that way are refused"
                            + " (409, code range-not-invalidated).")
    ResponseEntity<RegionView> declare(
            @PathVariable String hostId, @Valid @RequestBody DeclareRegionRequest request) {
        RegionView region = regions.declare(hostId, request);
        return ResponseEntity.created(URI.create("/api/v1/regions/" + region.id())).body(region);
    }

    @DeleteMapping(path = "/api/v1/regions/{id}")
    @Operation(
            operationId = "removeRegion",
            summary = "Remove a region from the inventory",
            description =
                    "Only a detached region that no operation holds and whose members' memory changes are all"
                            + " covered by an invalidation (409 otherwise). A region with a retired (decommissioned) member never"
                            + " decodes again: remove it, then declare a new region over the remaining devices. The host is asked"
                            + " first whether it decodes the region: 409 with code region-decodes when it does although Lethe's"
                            + " record says detached, region-state-unknown when it cannot be asked; nothing changes then.")
    ResponseEntity<Void> remove(@PathVariable String id) {
        RegionView region = regions.get(id);
        if (region.state() == RegionState.DETACHED) {
            // A hardware call, outside any transaction; removal then re-checks the record.
            boolean decodes;
            try {
                decodes = hardware.decodes(region);
            } catch (RegionProbe.Unreadable unreadable) {
                throw new RegionProblems.RegionStateUnknown(region.name(), unreadable.getMessage());
            }
            if (decodes) {
                throw new RegionProblems.RegionDecodes(region.name());
            }
        }
        regions.remove(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/api/v1/regions", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "listRegions",
            summary = "List regions, oldest first, with filters and keyset pagination")
    CursorPage<RegionView> list(
            @Parameter(description = "Only regions of this host") @RequestParam(required = false)
                    String hostId,
            @Parameter(description = "Only regions in this state") @RequestParam(required = false)
                    RegionState state,
            @Parameter(description = "Page size, 1 to 1000") @RequestParam(required = false)
                    Integer limit,
            @Parameter(description = "nextCursor of the previous page")
                    @RequestParam(required = false)
                    String cursor) {
        UUID host =
                hostId == null
                        ? null
                        : Ids.parse(hostId)
                                .orElseThrow(
                                        () ->
                                                new InvalidRegionFilter(
                                                        "hostId",
                                                        "hostId must be a host id (UUID), was '"
                                                                + hostId
                                                                + "'"));
        return regions.list(host, state, Keyset.of(limit, cursor));
    }

    @GetMapping(path = "/api/v1/regions/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getRegion", summary = "Read a region")
    RegionView get(@PathVariable String id) {
        return regions.get(id);
    }
}
