package io.lethe.agent;

/**
 * The kernel refused an access to one of its files. The message names the file and the errno, never
 * the value that was written (it may hold a key id or other detail a caller chose).
 */
public class SysfsError extends RuntimeException {

    private final Errno errno;

    public SysfsError(Errno errno, String path) {
        super(path + ": " + errno.name() + " (" + errno.text() + ")", null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }

    /** The errno values the agent tells apart; the text is the C library's {@code strerror}. */
    public enum Errno {
        EPERM(1, "Operation not permitted"),
        ENOENT(2, "No such file or directory"),
        EIO(5, "Input/output error"),
        ENXIO(6, "No such device or address"),
        ENODEV(19, "No such device"),
        EACCES(13, "Permission denied"),
        EBUSY(16, "Device or resource busy"),
        EINVAL(22, "Invalid argument"),
        ENOKEY(126, "Required key not available"),
        ETIMEDOUT(110, "Connection timed out"),
        EOPNOTSUPP(95, "Operation not supported");

        private final int code;
        private final String text;

        Errno(int code, String text) {
            this.code = code;
            this.text = text;
        }

        /** The errno of this number (x86-64 Linux), EIO for one the agent does not tell apart. */
        static Errno fromCode(int code) {
            for (Errno errno : values()) {
                if (errno.code == code) {
                    return errno;
                }
            }
            return EIO;
        }

        public String text() {
            return text;
        }

        /** The errno whose strerror text a Java I/O exception carries; EIO when none matches. */
        static Errno fromMessage(String message) {
            if (message != null) {
                for (Errno errno : values()) {
                    if (message.contains(errno.text)) {
                        return errno;
                    }
                }
            }
            return EIO;
        }
    }
}
