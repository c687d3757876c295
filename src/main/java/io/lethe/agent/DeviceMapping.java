package io.lethe.agent;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * A shared mapping of a device file made with {@code mmap(2)} through JNA. Java 17 cannot do it
 * itself: {@code FileChannel.map} sizes the file first and tries to extend a character device,
 * whose size reads 0, and the foreign memory API is still incubating there.
 */
final class DeviceMapping implements Sysfs.Mapping {

    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;

    interface LibC extends Library {

        int open(String path, int flags) throws LastErrorException;

        Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset)
                throws LastErrorException;

        int munmap(Pointer address, long length) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    private final String name;
    private final Pointer address;
    private final long length;
    private boolean closed;

    private DeviceMapping(String name, Pointer address, long length) {
        this.name = name;
        this.address = address;
        this.length = length;
    }

    static DeviceMapping open(Path file, String name, long offset, long length) {
        LibC c = Holder.C;
        int fd;
        try {
            fd = c.open(file.toString(), O_RDWR | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SysfsError(SysfsError.Errno.fromCode(e.getErrorCode()), name);
        }
        try {
            Pointer address = c.mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
            return new DeviceMapping(name, address, length);
        } catch (LastErrorException e) {
            throw new SysfsError(SysfsError.Errno.fromCode(e.getErrorCode()), "mmap of " + name);
        } finally {
            // the mapping keeps its own reference to the file
            c.close(fd);
        }
    }

    @Override
    public byte[] read(long at, int n) {
        check(at, n);
        byte[] bytes = new byte[n];
        address.read(at, bytes, 0, n);
        return bytes;
    }

    @Override
    public void write(long at, byte[] bytes) {
        check(at, bytes.length);
        address.write(at, bytes, 0, bytes.length);
    }

    private void check(long at, int n) {
        if (closed || at < 0 || at + n > length) {
            // outside the mapping the process would take SIGBUS or SIGSEGV, not an exception
            throw new SysfsError(
                    SysfsError.Errno.EINVAL,
                    name + " [" + at + ", +" + n + ") outside the mapping");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Holder.C.munmap(address, length);
        }
    }
}
