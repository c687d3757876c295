package io.lethe.cli;

import io.lethe.client.api.OperationsApi;
import io.lethe.client.api.RegionsApi;
import io.lethe.client.model.DeclareRegion;
import io.lethe.client.model.Operation;
import io.lethe.client.model.Region;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lethe regions declare HOST}: declares a region. It starts detached; with {@code --wait}
 * the command waits for the attach-region operation the server started and exits as it ended (a
 * region over a locked member has none: the member's unlock attaches it).
 */
@Command(name = "declare", description = "Declare a region over devices of a host")
final class DeclareRegionCommand extends Base {

    @Parameters(index = "0", paramLabel = "HOST", description = "The host's id")
    String host;

    @Option(names = "--name", required = true, description = "The region's name on the host")
    String name;

    @Option(
            names = "--device",
            required = true,
            description = "A member device's id, in interleave order (repeat: 1, 2, 4, 8 or 16)")
    List<String> devices;

    @Option(names = "--size", required = true, description = "Size in bytes")
    long sizeBytes;

    @Option(names = "--base", description = "Host-physical base address (default: the next free)")
    Long baseAddress;

    @Option(
            names = "--wait",
            description =
                    "Wait until the region's attach-region operation ends; the exit code says how")
    boolean wait;

    @Option(
            names = "--timeout",
            defaultValue = "10m",
            converter = Durations.class,
            description = "How long --wait waits (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        RegionsApi regions = new RegionsApi(server().client());
        DeclareRegion request =
                new DeclareRegion()
                        .name(name)
                        .deviceIds(devices)
                        .sizeBytes(sizeBytes)
                        .baseAddress(baseAddress);
        Region declared = server().call(() -> regions.declareRegion(host, request));
        if (!wait || declared.getAttachOperationId() == null) {
            out().one(declared);
            return Exit.SUCCEEDED;
        }
        String attachId = declared.getAttachOperationId().toString();
        OperationsApi operations = new OperationsApi(server().client());
        Operation attach = server().call(() -> operations.getOperation(attachId, null));
        Operation ended = Waiting.operation(server(), attach, timeout, progress());
        String regionId = declared.getId().toString();
        out().one(server().call(() -> regions.getRegion(regionId)));
        if (ended.getState() != Operation.StateEnum.SUCCEEDED) {
            stderr().println(
                            "lethe: attach-region operation "
                                    + ended.getId()
                                    + " "
                                    + ended.getState().getValue()
                                    + (ended.getError() == null ? "" : ": " + ended.getError()));
            return Exit.FAILED;
        }
        return Exit.SUCCEEDED;
    }
}
