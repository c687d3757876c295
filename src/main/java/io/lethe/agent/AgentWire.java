package io.lethe.agent;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * The agent API's bodies, shared with the orchestrator's {@code host-agent} backend so both sides
 * agree on one wire format. Security states use Lethe's names ({@code disabled}, {@code unlocked},
 * {@code locked}, {@code frozen}, {@code passphrase-limit}, {@code sanitizing}).
 */
public final class AgentWire {

    private AgentWire() {}

    /** What the host has, as the kernel shows it, and whether Lethe may erase there at all. */
    public record Inventory(
            List<Memdev> memdevs,
            List<Nvdimm> nvdimms,
            List<Region> regions,
            @Schema(allowableValues = {"supported", "unsupported"}) String cacheInvalidation,
            String cacheInvalidationReason) {}

    /** A CXL memory device ({@code /sys/bus/cxl/devices/memX}). */
    public record Memdev(
            String name,
            String serial,
            String firmwareVersion,
            long ramSizeBytes,
            long pmemSizeBytes,
            String securityState,
            Integer unlockAttemptsLeft,
            boolean sanitizeSupported) {}

    /** An NVDIMM that is not a CXL memdev's bridge ({@code /sys/bus/nd/devices/nmemX}). */
    public record Nvdimm(
            String name,
            String serial,
            String vendor,
            String model,
            long sizeBytes,
            String securityState,
            Integer unlockAttemptsLeft) {}

    /** What the agent does beyond the first agent API. */
    public record Capabilities(boolean regionFencing) {}

    /**
     * The fencing token of a region reset or commit: Lethe's host order number for that decision.
     * Commands without one are refused: an agent that acted on them could let a late command undo a
     * later one.
     */
    public record Fence(Long fence) {
        static long require(Fence body) {
            if (body == null || body.fence() == null || body.fence() < 1) {
                throw AgentProblem.badRequest(
                        "a region reset or commit needs its fencing token: {\"fence\": n}, n >= 1");
            }
            return body.fence();
        }
    }

    /** A CXL region: its host-physical range, interleave and member memdevs in target order. */
    public record Region(
            String name,
            long resource,
            long sizeBytes,
            int interleaveWays,
            int interleaveGranularity,
            List<String> memdevSerials,
            boolean committed) {}

    /** One device's security state. */
    public record DeviceState(
            String name,
            String kind,
            String serial,
            String securityState,
            Integer unlockAttemptsLeft) {}

    /**
     * An unlock: with a passphrase given, or ({@code key} = {@code host-key}) with the host's own
     * key that ndctl sealed, where the agent's configuration enables it for the device.
     */
    public record UnlockRequest(
            @Schema(description = "the device's passphrase, 1 to 32 bytes; never logged")
                    String passphrase,
            @Schema(
                            description =
                                    "passphrase (the default) or host-key: the host's own key sealed by ndctl, loaded"
                                            + " from its blob; no passphrase travels",
                            allowableValues = {"passphrase", "host-key"})
                    String key) {

        public UnlockRequest(String passphrase) {
            this(passphrase, null);
        }

        /** Whether this unlock uses the host's own sealed key. */
        public boolean hostKey() {
            return HOST_KEY.equals(key);
        }

        public static final String HOST_KEY = "host-key";

        @Override
        public String toString() {
            return "UnlockRequest[passphrase=<redacted>, key=" + key + "]";
        }
    }

    /**
     * An erase to start.
     *
     * @param method {@code sanitize}, {@code secure-erase}, {@code passphrase-erase} or {@code
     *     overwrite}
     * @param master passphrase erase with the master passphrase
     * @param passphrase only for methods that need it; never logged
     * @param ticket names this erase, so its status can be asked after a restart of either side
     */
    public record EraseRequest(String method, Boolean master, String passphrase, String ticket) {
        @Override
        public String toString() {
            return "EraseRequest[method="
                    + method
                    + ", master="
                    + master
                    + ", ticket="
                    + ticket
                    + "]";
        }
    }

    /**
     * An erase as the agent follows it: {@code not-started}, {@code running}, {@code completed} or
     * {@code failed}.
     */
    public record EraseStatus(
            String ticket,
            String state,
            Integer percent,
            Instant startedAt,
            Instant finishedAt,
            String detail) {}

    /**
     * A region's decode state after a reset or commit.
     *
     * @param cpuView the dax device that maps the committed region ({@code daxX.Y}), or null where
     *     none does
     */
    public record RegionState(String name, boolean committed, String cpuView) {}

    /** A cache invalidation the host can vouch for. */
    public record Invalidation(Instant startedAt, Instant finishedAt, String evidence) {}

    /** Bytes through the CPU's view of a region (base64). */
    public record Memory(String data) {}
}
