package io.lethe.agent;

/**
 * The kernel refused an access to one of its files. The message names the file and the errno,
 * never the value that was written (it may hold a key id or other detail a caller chose).
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
        EPERM("Operation not permitted"),
        ENOENT("No such file or directory"),
        EIO("Input/output error"),
        ENXIO("No such device or address"),
        EACCES("Permission denied"),
        EBUSY("Device or resource busy"),
        EINVAL("Invalid argument"),
        ENOKEY("Required key not available"),
        EOPNOTSUPP("Operation not supported");

        private final String text;

        Errno(String text) {
            this.text = text;
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
