package io.lethe.engine;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which operations waiting for admission ({@link Operation#awaitingAdmission}) may start now: the
 * engine asks before a round and starts only those admitted. Implemented by the erase limits, a
 * module the engine does not depend on.
 */
public interface Admission {

    /**
     * Admits ({@link Operation#admit}) those of the waiting operations whose turn has come, in the
     * caller's transaction, which holds their row locks; answers their ids.
     */
    Set<UUID> admit(List<Operation> waiting);
}
