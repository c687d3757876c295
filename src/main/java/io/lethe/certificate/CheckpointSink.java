package io.lethe.certificate;

import java.io.IOException;
import java.util.List;

/** A place outside the database that keeps signed audit checkpoints. */
interface CheckpointSink {

    /** For reports and metrics: the kind and where, never a credential. */
    String name();

    /** Keeps one checkpoint; idempotent for a checkpoint it holds already. */
    void deliver(AuditCheckpoints.Checkpoint checkpoint) throws IOException;

    /** The checkpoints it holds, as it holds them (their signatures are checked by the reader). */
    List<AuditCheckpoints.Checkpoint> held() throws IOException;
}
