package io.lethe.discovery;

import io.lethe.common.LetheProblem;
import org.springframework.http.HttpStatus;

/** The host's backend could not report its inventory; nothing was recorded. */
final class DiscoveryFailed extends LetheProblem {

    DiscoveryFailed(HttpStatus status, String detail) {
        super(status, "Discovery failed", detail);
    }
}
