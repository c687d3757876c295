package io.lethe.cli;

import io.lethe.client.api.OperationsApi;
import io.lethe.client.model.Operation;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lethe operations}: list, show, wait for and cancel operations. */
@Command(
        name = "operations",
        description = "List operations, or show, wait for or cancel one",
        subcommands = {
            OperationsCommand.Get.class,
            OperationsCommand.Wait.class,
            OperationsCommand.Cancel.class
        })
final class OperationsCommand extends Inventory.Listing {

    @Option(names = "--device", description = "Only this device's operations")
    String device;

    @Option(names = "--state", description = "queued, running, succeeded, failed or cancelled")
    String state;

    @Option(names = "--batch", description = "Only this batch's operations")
    String batch;

    @Override
    public Integer call() {
        OperationsApi operations = new OperationsApi(server().client());
        out().page(
                        server().call(
                                        () ->
                                                operations.listOperations(
                                                        device, state, batch, limit, cursor)),
                        List.of(
                                "id",
                                "type",
                                "state",
                                "deviceId",
                                "method",
                                "requestedBy",
                                "createdAt"));
        return Exit.SUCCEEDED;
    }

    @Command(name = "get", description = "Show one operation with its steps")
    static final class Get extends Base {
        @Parameters(paramLabel = "OPERATION")
        String id;

        @Override
        public Integer call() {
            out().one(
                            server().call(
                                            () ->
                                                    new OperationsApi(server().client())
                                                            .getOperation(id, null)));
            return Exit.SUCCEEDED;
        }
    }

    @Command(
            name = "wait",
            description = "Wait until an operation ends; the exit code says how it ended")
    static final class Wait extends Base {
        @Parameters(paramLabel = "OPERATION")
        String id;

        @Option(
                names = "--timeout",
                defaultValue = "2h",
                converter = Durations.class,
                description = "(default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Override
        public Integer call() {
            Operation op =
                    server().call(
                                    () ->
                                            new OperationsApi(server().client())
                                                    .getOperation(id, null));
            Operation ended = Waiting.operation(server(), op, timeout, progress());
            out().one(ended);
            return ended.getState() == Operation.StateEnum.SUCCEEDED ? Exit.SUCCEEDED : Exit.FAILED;
        }
    }

    @Command(name = "cancel", description = "Cancel an operation before its erase or unlock starts")
    static final class Cancel extends Base {
        @Parameters(paramLabel = "OPERATION")
        String id;

        @Override
        public Integer call() {
            out().one(
                            server().call(
                                            () ->
                                                    new OperationsApi(server().client())
                                                            .cancelOperation(id)));
            return Exit.SUCCEEDED;
        }
    }
}
