package io.lethe.host;

import io.lethe.common.LetheProblem;

/** Refusals of the host inventory, named as facts. */
final class HostProblems {

    private HostProblems() {}

    static final class HostNameTaken extends LetheProblem.Conflict {
        HostNameTaken(String name) {
            super("Host name taken", "A host named '" + name + "' is already registered");
        }
    }
}
