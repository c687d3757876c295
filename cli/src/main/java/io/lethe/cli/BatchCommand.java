package io.lethe.cli;

import io.lethe.client.ApiResponse;
import io.lethe.client.api.BatchesApi;
import io.lethe.client.model.Batch;
import io.lethe.client.model.BatchPlan;
import io.lethe.client.model.BatchRequest;
import io.lethe.client.model.Selector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lethe batch erase|decommission|unlock}: a fleet-wide action over the devices a selector
 * picks.
 */
@Command(
        name = "batch",
        description =
                "Plan (--dry-run) or run an action over many devices: by --label, --host or --device")
final class BatchCommand extends Base {

    @Parameters(index = "0", paramLabel = "ACTION", description = "erase, decommission or unlock")
    String action;

    @Option(
            names = "--label",
            description = "key=value; hosts carrying all the given labels (repeatable)")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--host", description = "Every device of this host (repeatable)")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--device", description = "This device (repeatable)")
    List<String> devices = new ArrayList<>();

    @Option(
            names = "--method",
            defaultValue = "sanitize",
            description = "For erase and decommission (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--reason", description = "Why; kept in the audit trail and the certificates")
    String reason;

    @Option(
            names = "--passphrase-file",
            description =
                    "For unlock and passphrase-erase: one passphrase for every device "
                            + "(default: $LETHE_PASSPHRASE)")
    Path passphraseFile;

    @Option(names = "--dry-run", description = "Print the plan and change nothing")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait until every operation of the batch has ended")
    boolean wait;

    @Option(
            names = "--timeout",
            defaultValue = "2h",
            converter = Durations.class,
            description = "How long --wait waits (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        BatchRequest request =
                new BatchRequest()
                        .action(action())
                        .reason(reason)
                        .dryRun(dryRun)
                        .selector(
                                new Selector()
                                        .labels(labels.isEmpty() ? null : labels)
                                        .hostIds(hosts.isEmpty() ? null : hosts)
                                        .deviceIds(devices.isEmpty() ? null : devices));
        if (request.getAction() != BatchRequest.ActionEnum.UNLOCK) {
            request.method(
                    StartCommands.Starting.method(method, BatchRequest.MethodEnum::fromValue));
        }
        if (request.getAction() == BatchRequest.ActionEnum.UNLOCK
                || request.getMethod() == BatchRequest.MethodEnum.PASSPHRASE_ERASE) {
            request.passphrase(StartCommands.Starting.passphrase(passphraseFile));
        }
        BatchesApi batches = new BatchesApi(server().client());
        if (dryRun) {
            BatchPlan plan = server().call(() -> batches.startBatch(request));
            out().one(plan);
            if (plan.getBlockers() != null) {
                plan.getBlockers()
                        .forEach(
                                b ->
                                        stderr().println(
                                                        "lethe: device "
                                                                + b.getDeviceId()
                                                                + " is left out: "
                                                                + b.getProblem()
                                                                + (b.getReason() == null
                                                                        ? ""
                                                                        : " ("
                                                                                + b.getReason()
                                                                                + ")")));
            }
            return Exit.SUCCEEDED;
        }
        // The contract's 202 carries the batch and its Location; the generated client types the
        // call by its 200 (the plan), so the batch is read from where the Location points.
        ApiResponse<BatchPlan> started =
                server().call(() -> batches.startBatchWithHttpInfo(request));
        String location =
                started
                        .getHeaders()
                        .getOrDefault(
                                "Location",
                                started.getHeaders().getOrDefault("location", List.of()))
                        .stream()
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new Failures.Unreachable(
                                                "the server started a batch but sent no Location"));
        String id = location.substring(location.lastIndexOf('/') + 1);
        Batch batch = server().call(() -> batches.getBatch(id));
        if (!wait) {
            out().one(batch);
            return Exit.SUCCEEDED;
        }
        Batch ended = Waiting.batch(server(), batch, timeout, progress());
        out().one(ended);
        if (ended.getState() != Batch.StateEnum.SUCCEEDED) {
            stderr().println("lethe: batch " + ended.getId() + " " + ended.getState().getValue());
            if (ended.getFailures() != null) {
                ended.getFailures()
                        .forEach(
                                f ->
                                        stderr().println(
                                                        "lethe:   device "
                                                                + f.getDeviceId()
                                                                + ": "
                                                                + f.getError()));
            }
            return Exit.FAILED;
        }
        return Exit.SUCCEEDED;
    }

    private BatchRequest.ActionEnum action() {
        return switch (action) {
            case "erase", "secure-erase" -> BatchRequest.ActionEnum.SECURE_ERASE;
            case "decommission" -> BatchRequest.ActionEnum.DECOMMISSION;
            case "unlock" -> BatchRequest.ActionEnum.UNLOCK;
            default ->
                    throw new Failures.Invalid(
                            "ACTION must be erase, decommission or unlock, was '" + action + "'");
        };
    }
}
