package io.lethe.cli;

/** The exit codes, part of the command's contract with pipelines. */
final class Exit {
    static final int SUCCEEDED = 0;

    /**
     * The operation or batch failed, was cancelled or quarantined; a certificate did not verify.
     */
    static final int FAILED = 1;

    /** The server refused the request (a 4xx problem), or the command line was malformed. */
    static final int REFUSED = 2;

    static final int TIMED_OUT = 3;

    /** The server could not be reached, or kept answering 5xx after retries. */
    static final int UNREACHABLE = 4;

    /**
     * The certificate verifies, but it is of a simulated erase: no memory was erased. Exit 0 for it
     * only with {@code --allow-simulated}.
     */
    static final int SIMULATED = 5;

    private Exit() {}
}
