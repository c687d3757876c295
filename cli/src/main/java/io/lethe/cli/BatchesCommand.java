package io.lethe.cli;

import io.lethe.client.api.BatchesApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lethe batches}: list, show and cancel batches (start one with {@code lethe batch}). */
@Command(
        name = "batches",
        description = "List batches, or show or cancel one",
        subcommands = {BatchesCommand.Get.class, BatchesCommand.Cancel.class})
final class BatchesCommand extends Inventory.Listing {

    @Option(
            names = "--state",
            description = "running, succeeded, cancelled, failed or partially-succeeded")
    String state;

    @Option(names = "--requested-by", description = "Only batches this token's name started")
    String requestedBy;

    @Override
    public Integer call() {
        BatchesApi batches = new BatchesApi(server().client());
        out().page(
                        server().call(() -> batches.listBatches(state, requestedBy, limit, cursor)),
                        List.of(
                                "id",
                                "action",
                                "state",
                                "progress",
                                "total",
                                "requestedBy",
                                "createdAt"));
        return Exit.SUCCEEDED;
    }

    @Command(name = "get", description = "Show one batch")
    static final class Get extends Base {
        @Parameters(paramLabel = "BATCH")
        String id;

        @Override
        public Integer call() {
            out().one(server().call(() -> new BatchesApi(server().client()).getBatch(id)));
            return Exit.SUCCEEDED;
        }
    }

    @Command(
            name = "cancel",
            description =
                    "Cancel the operations of a batch that have not started their erase or unlock")
    static final class Cancel extends Base {
        @Parameters(paramLabel = "BATCH")
        String id;

        @Override
        public Integer call() {
            out().one(server().call(() -> new BatchesApi(server().client()).cancelBatch(id)));
            return Exit.SUCCEEDED;
        }
    }
}
