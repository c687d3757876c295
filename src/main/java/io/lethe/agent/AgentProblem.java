package io.lethe.agent;

import org.springframework.http.HttpStatus;

/**
 * Why the agent did not do what was asked, as a problem {@code code} the orchestrator maps to a
 * step failure. Messages carry the kernel's reason and errno, never a secret.
 */
class AgentProblem extends RuntimeException {

    static final String TYPE_PREFIX = "urn:lethe:agent:";

    private final HttpStatus status;
    private final String code;
    private final SysfsError.Errno errno;
    private final Integer attemptsLeft;

    AgentProblem(
            HttpStatus status,
            String code,
            String message,
            SysfsError.Errno errno,
            Integer attemptsLeft) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.errno = errno;
        this.attemptsLeft = attemptsLeft;
    }

    static AgentProblem notFound(String what) {
        return new AgentProblem(HttpStatus.NOT_FOUND, "not-found", what, null, null);
    }

    static AgentProblem badRequest(String what) {
        return new AgentProblem(HttpStatus.BAD_REQUEST, "bad-request", what, null, null);
    }

    static AgentProblem busy(String what) {
        return new AgentProblem(HttpStatus.CONFLICT, "busy", what, SysfsError.Errno.EBUSY, null);
    }

    static AgentProblem refused(String what, SysfsError.Errno errno) {
        return new AgentProblem(HttpStatus.CONFLICT, "refused", what, errno, null);
    }

    /** An unlock asked for the host's own key where the agent's configuration does not allow it. */
    static AgentProblem hostKeyNotEnabled(String what) {
        return new AgentProblem(HttpStatus.CONFLICT, "host-key-not-enabled", what, null, null);
    }

    /** A region command carried a lower fencing token than one already seen for the region. */
    static AgentProblem fenced(String what) {
        return new AgentProblem(HttpStatus.CONFLICT, "fenced", what, null, null);
    }

    static AgentProblem unsupported(String what) {
        return new AgentProblem(
                HttpStatus.CONFLICT, "unsupported", what, SysfsError.Errno.EOPNOTSUPP, null);
    }

    static AgentProblem invalidationUnsupported(String what) {
        return new AgentProblem(
                HttpStatus.CONFLICT,
                "invalidation-unsupported",
                what,
                SysfsError.Errno.ENXIO,
                null);
    }

    /**
     * The device refused the passphrase. No kernel interface reports attempts left: the number is
     * Lethe's own count of the wrong ones it sent, and the detail says so.
     */
    static AgentProblem wrongPassphrase(int attemptsLeft, SysfsError.Errno errno) {
        return new AgentProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "wrong-passphrase",
                "wrong passphrase; "
                        + attemptsLeft
                        + " attempt(s) left by Lethe's own count (attempts made elsewhere are not seen)",
                errno,
                attemptsLeft);
    }

    /**
     * The device refused the master passphrase (or, where a CXL device answered ENXIO, one of seven
     * other mailbox errors): nothing is counted against the user passphrase's attempts.
     */
    static AgentProblem wrongMasterPassphrase(int attemptsLeft, SysfsError.Errno errno) {
        return new AgentProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "wrong-passphrase",
                "wrong master passphrase"
                        + (errno == SysfsError.Errno.ENXIO
                                ? " (ENXIO, which the kernel also answers for seven other mailbox"
                                        + " errors: drivers/cxl/cxlmem.h)"
                                : "")
                        + "; no attempt counted, the user passphrase keeps "
                        + attemptsLeft
                        + " attempt(s) by Lethe's own count",
                errno,
                attemptsLeft);
    }

    /**
     * A CXL device refused a passphrase command with ENXIO, which the kernel answers for a wrong
     * passphrase and for seven other mailbox errors alike: counted as wrong, the count an estimate.
     */
    static AgentProblem maybeWrongPassphrase(int attemptsLeft, String deviceSays) {
        return new AgentProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "wrong-passphrase",
                "the device refused the command (ENXIO, which the kernel answers for a wrong passphrase"
                        + " and for seven other mailbox errors: drivers/cxl/cxlmem.h); counted as a wrong"
                        + " passphrase, so "
                        + attemptsLeft
                        + " attempt(s) left is a conservative estimate; "
                        + deviceSays
                        + ". After a power cycle an admin may reset the estimate",
                SysfsError.Errno.ENXIO,
                attemptsLeft);
    }

    /**
     * Nothing maps the region's memory (no dax device, or System RAM): no canary can be written or
     * read back.
     */
    static AgentProblem noCpuView(String what) {
        return new AgentProblem(HttpStatus.CONFLICT, "no-cpu-view", what, null, null);
    }

    /**
     * The kernel found no key it could use (ENOKEY): nothing reached the device, no attempt was
     * spent.
     */
    static AgentProblem keyUnavailable(String what) {
        return new AgentProblem(
                HttpStatus.CONFLICT, "key-unavailable", what, SysfsError.Errno.ENOKEY, null);
    }

    /**
     * A kernel failure that may pass (EIO and the like): the orchestrator may retry an idempotent
     * call.
     */
    static AgentProblem kernel(SysfsError error) {
        return new AgentProblem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "kernel-error",
                error.getMessage(),
                error.errno(),
                null);
    }

    /** The errno of a refused sysfs access, as the problem clients should see. */
    static AgentProblem of(SysfsError error, String context) {
        String message = context + ": " + error.getMessage();
        return switch (error.errno()) {
            case EBUSY -> busy(message);
            case ENOENT -> notFound(message);
            case ENXIO -> refused(message, error.errno());
            case EOPNOTSUPP -> unsupported(message);
            case EPERM, EACCES, EINVAL, ENOKEY -> refused(message, error.errno());
            default -> kernel(error);
        };
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    SysfsError.Errno errno() {
        return errno;
    }

    Integer attemptsLeft() {
        return attemptsLeft;
    }
}
