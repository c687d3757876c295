package io.lethe.backend.hostagent;

import io.lethe.agent.AgentWire;
import io.lethe.backend.BackendException;
import io.lethe.backend.HostBackend;
import io.lethe.backend.hostagent.AgentClient.Call;
import io.lethe.backend.hostagent.AgentClient.Target;
import io.lethe.device.DeviceView;
import io.lethe.host.BackendType;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The {@code host-agent} backend: every action is a call to the Lethe agent on the host, which
 * drives the kernel's sysfs ABI. Devices are named to the agent by serial, regions by their kernel
 * name. The kernel offers no read of a device's media past the caches, so {@code verify} on these
 * hosts reads through the CPU's view of the region.
 */
@Component
class HostAgentBackend implements HostBackend {

    /** Bytes of a device's share read back through the CPU's view by {@code verify}. */
    static final int READ_BACK = 4096;

    private final AgentClient client;
    private final AgentCapabilities capabilities;

    /**
     * The agent and its token, opened once for all the calls of one exchange with a host ({@link
     * #together}).
     */
    private final AgentExchanges targets;

    HostAgentBackend(AgentClient client, AgentEndpoints endpoints, AgentCapabilities capabilities) {
        this.capabilities = capabilities;
        this.client = client;
        this.targets = new AgentExchanges(endpoints);
    }

    @Override
    public BackendType type() {
        return HostAgentKind.TYPE;
    }

    @Override
    public DeviceReading readDevice(HostView host, DeviceView device) {
        AgentWire.DeviceState state =
                client.call(
                        target(host),
                        "GET",
                        "/agent/v1/devices/" + serial(device),
                        null,
                        AgentWire.DeviceState.class,
                        Call.IDEMPOTENT);
        return new DeviceReading(
                AgentInventories.securityState(state.securityState()), state.unlockAttemptsLeft());
    }

    @Override
    public void resetAttemptEstimate(HostView host, DeviceView device) {
        client.call(
                target(host),
                "POST",
                "/agent/v1/devices/" + serial(device) + "/passphrase-attempts/reset",
                null,
                Void.class,
                Call.IDEMPOTENT);
    }

    @Override
    public void unlock(HostView host, DeviceView device, String passphrase) {
        unlock(host, device, new AgentWire.UnlockRequest(passphrase));
    }

    @Override
    public void unlockWithHostKey(HostView host, DeviceView device) {
        unlock(host, device, new AgentWire.UnlockRequest(null, AgentWire.UnlockRequest.HOST_KEY));
    }

    private void unlock(HostView host, DeviceView device, AgentWire.UnlockRequest request) {
        // never repeated: an unlock that reached the device may have cost an attempt
        client.call(
                target(host),
                "POST",
                "/agent/v1/devices/" + serial(device) + "/unlock",
                request,
                Void.class,
                Call.ONCE);
    }

    @Override
    public void startErase(HostView host, DeviceView device, EraseRequest request) {
        // the ticket makes a repeat start nothing, so a lost answer may be asked again
        client.call(
                target(host),
                "POST",
                "/agent/v1/devices/" + serial(device) + "/erase",
                new AgentWire.EraseRequest(
                        request.method().wire(),
                        request.master(),
                        request.passphrase(),
                        request.ticket()),
                AgentWire.EraseStatus.class,
                Call.IDEMPOTENT);
    }

    @Override
    public EraseStatus eraseStatus(HostView host, DeviceView device, String ticket) {
        AgentWire.EraseStatus status =
                client.call(
                        target(host),
                        "GET",
                        "/agent/v1/erases/" + encode(ticket),
                        null,
                        AgentWire.EraseStatus.class,
                        Call.IDEMPOTENT);
        EraseStatus.State state =
                switch (status.state()) {
                    case "not-started" -> EraseStatus.State.NOT_STARTED;
                    case "running" -> EraseStatus.State.RUNNING;
                    case "completed" -> EraseStatus.State.COMPLETED;
                    default -> EraseStatus.State.FAILED;
                };
        return new EraseStatus(state, status.percent(), status.finishedAt(), status.detail());
    }

    @Override
    public void detachRegion(HostView host, RegionView region, long fence) {
        decode(host, region, "/reset", fence);
    }

    @Override
    public void commitRegion(HostView host, RegionView region, long fence) {
        decode(host, region, "/commit", fence);
    }

    /** Repeating a reset or commit with the same token is harmless: the agent admits it again. */
    private void decode(HostView host, RegionView region, String action, long fence) {
        Target target = target(host);
        capabilities.requireFencing(target);
        client.call(
                target,
                "POST",
                "/agent/v1/regions/" + encode(region.name()) + action,
                new AgentWire.Fence(fence),
                AgentWire.RegionState.class,
                Call.IDEMPOTENT);
    }

    @Override
    public Invalidation invalidateCaches(HostView host) {
        AgentWire.Invalidation done =
                client.call(
                        target(host),
                        "POST",
                        "/agent/v1/invalidate",
                        null,
                        AgentWire.Invalidation.class,
                        Call.IDEMPOTENT);
        return new Invalidation(
                done.startedAt(), done.finishedAt(), "host agent: " + done.evidence(), true);
    }

    @Override
    public void writeThroughCpu(
            HostView host, RegionView region, DeviceView device, byte[] pattern) {
        client.call(
                target(host),
                "PUT",
                memory(region, device, pattern.length),
                new AgentWire.Memory(Base64.getEncoder().encodeToString(pattern)),
                Void.class,
                Call.IDEMPOTENT);
    }

    @Override
    public byte[] readThroughCpu(HostView host, RegionView region, DeviceView device) {
        long share = region.sizeBytes() / Math.max(1, region.deviceIds().size());
        AgentWire.Memory memory =
                client.call(
                        target(host),
                        "GET",
                        memory(region, device, (int) Math.min(READ_BACK, share)),
                        null,
                        AgentWire.Memory.class,
                        Call.IDEMPOTENT);
        return Base64.getDecoder().decode(memory.data());
    }

    @Override
    public byte[] readMedia(HostView host, DeviceView device) {
        throw new BackendException.Refused(
                "the kernel offers no read of a device's media past the CPU caches");
    }

    @Override
    public boolean mediaReadable() {
        return false;
    }

    @Override
    public boolean kernelInvalidatesInCommit() {
        return true;
    }

    @Override
    public boolean keepsHostKeys() {
        return true;
    }

    @Override
    public Inventory inventory(HostView host) {
        return AgentInventories.of(
                client.call(
                        target(host),
                        "GET",
                        "/agent/v1/inventory",
                        null,
                        AgentWire.Inventory.class,
                        Call.IDEMPOTENT));
    }

    /** The agent's address and token are read (and the token decrypted) once for all the calls. */
    @Override
    public <T> T together(HostView host, Supplier<T> calls) {
        return targets.together(host, calls);
    }

    private Target target(HostView host) {
        return targets.of(host);
    }

    private static String serial(DeviceView device) {
        return encode(device.serial());
    }

    private static String memory(RegionView region, DeviceView device, int length) {
        return "/agent/v1/regions/"
                + encode(region.name())
                + "/memory?serial="
                + serial(device)
                + "&length="
                + length;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
