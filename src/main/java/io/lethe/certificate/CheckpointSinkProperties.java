package io.lethe.certificate;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where signed audit checkpoints go as they are made, besides the database and the log.
 *
 * @param file an append-only file of this replica's checkpoints, one JSON object a line (give each
 *     replica its own); empty: none
 * @param witnessUrl an HTTP witness: each checkpoint is POSTed to it as JSON, and a GET answers the
 *     checkpoints it holds ({@code {"items": [...]}}); empty: none
 * @param retryInterval how often a checkpoint a sink refused is offered again
 */
@ConfigurationProperties("lethe.audit.sinks")
public record CheckpointSinkProperties(String file, String witnessUrl, Duration retryInterval) {

    public CheckpointSinkProperties {
        if (retryInterval == null) {
            retryInterval = Duration.ofSeconds(10);
        }
    }
}
