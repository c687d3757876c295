package io.lethe.backend.hostagent;

import io.lethe.agent.AgentWire;
import io.lethe.backend.BackendException;
import io.lethe.backend.HostBackend.FoundDevice;
import io.lethe.backend.HostBackend.FoundRegion;
import io.lethe.backend.HostBackend.Inventory;
import io.lethe.common.WireEnum;
import io.lethe.device.DeviceKind;
import io.lethe.device.SecurityState;
import java.util.ArrayList;
import java.util.List;

/** An agent's inventory as the port's {@link Inventory}: its devices, regions and invalidation. */
final class AgentInventories {

    private AgentInventories() {}

    static Inventory of(AgentWire.Inventory found) {
        List<FoundDevice> devices = new ArrayList<>();
        found.memdevs()
                .forEach(
                        m ->
                                devices.add(
                                        new FoundDevice(
                                                DeviceKind.CXL_MEMDEV,
                                                m.serial(),
                                                null,
                                                null,
                                                m.firmwareVersion(),
                                                m.ramSizeBytes() + m.pmemSizeBytes(),
                                                securityState(m.securityState()),
                                                m.unlockAttemptsLeft())));
        found.nvdimms()
                .forEach(
                        n ->
                                devices.add(
                                        new FoundDevice(
                                                DeviceKind.NVDIMM,
                                                n.serial(),
                                                n.vendor(),
                                                n.model(),
                                                null,
                                                n.sizeBytes(),
                                                securityState(n.securityState()),
                                                n.unlockAttemptsLeft())));
        List<FoundRegion> regions =
                found.regions().stream()
                        .map(
                                r ->
                                        new FoundRegion(
                                                r.name(),
                                                r.resource(),
                                                r.sizeBytes(),
                                                r.memdevSerials(),
                                                r.committed()))
                        .toList();
        return new Inventory(
                devices,
                regions,
                "supported".equals(found.cacheInvalidation())
                        ? null
                        : found.cacheInvalidationReason() == null
                                ? "the agent reports cache invalidation unsupported"
                                : found.cacheInvalidationReason());
    }

    /** An agent's security state; an unknown one is a transient failure, never a guess. */
    static SecurityState securityState(String wire) {
        return WireEnum.fromWire(SecurityState.class, wire)
                .orElseThrow(
                        () ->
                                new BackendException.Transient(
                                        "the agent reported an unknown security state '"
                                                + wire
                                                + "'"));
    }
}
