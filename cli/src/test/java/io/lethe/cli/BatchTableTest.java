package io.lethe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.client.model.Batch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Issue 36, item 4: table output gives a batch's nested fields (counts, plan, its hosts and
 * blockers, failures) readable lines and columns instead of raw JSON. The batch is read by the
 * generated client's model from a document shaped as the service answers.
 */
class BatchTableTest {

    static final String BATCH =
            """
            {"id": "01a24a36-fdd2-7273-8cfd-95da929dff7a", "action": "secure-erase",
             "method": "sanitize", "state": "running", "total": 3,
             "counts": {"succeeded": 1, "running": 2},
             "progress": 33,
             "failures": [{"operationId": "01a24a36-fdd2-7273-8cfd-95da929dff7b",
                           "deviceId": "01a24a36-fdd2-7273-8cfd-95da929dff7c",
                           "error": "erase: media error"}],
             "cancelRequested": false,
             "plan": {"action": "secure-erase", "method": "sanitize", "devices": 3,
                      "invalidations": 1,
                      "hosts": [{"hostId": "01a24a36-fdd2-7273-8cfd-95da929dff7d", "name": "rack9-a",
                                 "devices": ["01a24a36-fdd2-7273-8cfd-95da929dff7c",
                                             "01a24a36-fdd2-7273-8cfd-95da929dff7e"],
                                 "regions": ["01a24a36-fdd2-7273-8cfd-95da929dff7f"],
                                 "invalidations": 1}],
                      "blockers": [{"deviceId": "01a24a36-fdd2-7273-8cfd-95da929dff70",
                                    "hostId": "01a24a36-fdd2-7273-8cfd-95da929dff71",
                                    "problem": "invalidation-unsupported",
                                    "reason": "the host is a VM"}]},
             "requestedBy": "pipeline", "createdAt": "2026-12-06T10:00:00Z"}
            """;

    @Test
    void aBatchReadsAsLinesAndTablesWithoutRawJson() throws Exception {
        Batch batch = Output.MAPPER.readValue(BATCH, Batch.class);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Output(Base.Format.table, new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .one(batch);
        String table = bytes.toString(StandardCharsets.UTF_8);

        assertThat(table).doesNotContain("{", "[");
        assertThat(table).containsPattern("counts\\s+succeeded 1, running 2");
        assertThat(table).containsPattern("plan\\.devices\\s+3");
        assertThat(table).contains("plan.hosts:", "plan.blockers:", "failures:");
        assertThat(table)
                .as("a host's devices and regions as how many")
                .containsPattern("rack9-a\\s+2\\s+1\\s+1");
        assertThat(table).contains("invalidation-unsupported", "the host is a VM");
        assertThat(table).contains("erase: media error");
    }
}
