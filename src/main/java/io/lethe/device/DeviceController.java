package io.lethe.device;

import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.device.DeviceProblems.InvalidDeviceFilter;
import io.lethe.device.DeviceService.DeviceFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Devices", description = "Memory devices (CXL memory expanders, NVDIMMs)")
class DeviceController {

    private final DeviceService devices;

    DeviceController(DeviceService devices) {
        this.devices = devices;
    }

    @PostMapping(
            path = "/api/v1/hosts/{hostId}/devices",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "registerDevice",
            summary = "Register a device on a host",
            description = "Serials are unique per device kind. New devices are available.")
    ResponseEntity<DeviceView> register(
            @PathVariable String hostId, @Valid @RequestBody RegisterDeviceRequest request) {
        DeviceView device = devices.register(hostId, request);
        return ResponseEntity.created(URI.create("/api/v1/devices/" + device.id())).body(device);
    }

    @GetMapping(path = "/api/v1/devices", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "listDevices",
            summary = "List devices, oldest first, with filters and keyset pagination")
    CursorPage<DeviceView> list(
            @Parameter(description = "Only devices of this host") @RequestParam(required = false)
                    String hostId,
            @Parameter(description = "Only devices in this status") @RequestParam(required = false)
                    DeviceStatus status,
            @Parameter(description = "Only devices with this serial")
                    @RequestParam(required = false)
                    String serial,
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
                                                new InvalidDeviceFilter(
                                                        "hostId",
                                                        "hostId must be a host id (UUID), was '"
                                                                + hostId
                                                                + "'"));
        return devices.list(new DeviceFilter(host, status, serial), Keyset.of(limit, cursor));
    }

    @GetMapping(path = "/api/v1/devices/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getDevice", summary = "Read a device")
    DeviceView get(@PathVariable String id) {
        return devices.get(id);
    }
}
