package io.lethe.backend;

/**
 * A backend action did not happen as asked. {@link #retryable()} says whether trying the same
 * action again may succeed (a transient fault or a timeout) or is pointless (the device or host
 * refuses). Messages name the reason and never carry a secret.
 */
public class BackendException extends RuntimeException {

    private final boolean retryable;

    public BackendException(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The host cannot invalidate its CPU caches (a VM guest: the kernel answers -ENXIO). */
    public static final class InvalidationUnsupported extends BackendException {
        public InvalidationUnsupported(String why) {
            super("cache invalidation unsupported: " + why, false);
        }
    }

    /** The passphrase was wrong; the device counted the attempt. */
    public static final class WrongPassphrase extends BackendException {
        private final int attemptsLeft;

        public WrongPassphrase(int attemptsLeft) {
            super("wrong passphrase; " + attemptsLeft + " attempt(s) left", false);
            this.attemptsLeft = attemptsLeft;
        }

        public int attemptsLeft() {
            return attemptsLeft;
        }
    }

    /**
     * The host's kernel had no key it could use for the passphrase (ENOKEY, no master key, or the
     * kernel refuses given key payloads): the command never reached the device, which is as it was.
     */
    public static final class KeyUnavailable extends BackendException {
        public KeyUnavailable(String why) {
            super("no usable key on the host, nothing reached the device: " + why, false);
        }
    }

    /**
     * Nothing maps the region's memory for the CPU (the host uses it as System RAM, or no dax
     * device came back): no canary can be written or read back through it.
     */
    public static final class NoCpuView extends BackendException {
        public NoCpuView(String why) {
            super(why, false);
        }
    }

    /** The device or kernel refuses the command in the current state (EBUSY, EPERM, ...). */
    public static final class Refused extends BackendException {
        public Refused(String why) {
            super(why, false);
        }
    }

    /**
     * The host has seen a later change of the region than this call's (a higher fencing token): the
     * call changed nothing. A reset or commit that lands late never undoes a later one.
     */
    public static final class Fenced extends BackendException {
        public Fenced(String why) {
            super(why, false);
        }
    }

    /** A fault that may pass: an I/O error, an injected {@code fail-once}, an unreachable agent. */
    public static final class Transient extends BackendException {
        public Transient(String why) {
            super(why, true);
        }
    }

    /** The backend did not answer within the step's time limit; the outcome is unknown. */
    public static final class TimedOut extends BackendException {
        public TimedOut(String why) {
            super(why, true);
        }
    }
}
