package io.lethe.host;

import io.lethe.common.LetheProblem;

/** No host has the id given. */
public final class HostNotFound extends LetheProblem.NotFound {
    public HostNotFound(String id) {
        super("Host", id);
    }
}
