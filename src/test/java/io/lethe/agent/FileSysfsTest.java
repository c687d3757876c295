package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production file access: values as echo writes them, errno from the kernel's refusals, nothing
 * outside the root.
 */
class FileSysfsTest {

    @TempDir Path root;

    @Test
    void writesLikeEchoAndReadsWithoutTheNewline() throws Exception {
        Files.createDirectories(root.resolve("sys/a"));
        Files.writeString(root.resolve("sys/a/commit"), "1\n");
        FileSysfs sysfs = new FileSysfs(root);
        sysfs.write("sys/a/commit", "0");
        assertThat(root.resolve("sys/a/commit")).content().isEqualTo("0\n");
        assertThat(sysfs.read("sys/a/commit")).isEqualTo("0");
        assertThat(sysfs.list("sys")).containsExactly("a");
        assertThat(sysfs.list("nothing")).isEmpty();
    }

    @Test
    void neverCreatesAnAttributeAndNeverLeavesItsRoot() {
        FileSysfs sysfs = new FileSysfs(root);
        assertThatThrownBy(() -> sysfs.write("sys/missing/sanitize", "1"))
                .isInstanceOfSatisfying(
                        SysfsError.class,
                        e -> assertThat(e.errno()).isEqualTo(SysfsError.Errno.ENOENT));
        assertThat(root.resolve("sys/missing/sanitize")).doesNotExist();
        assertThatThrownBy(() -> sysfs.read("../../etc/passwd"))
                .isInstanceOfSatisfying(
                        SysfsError.class,
                        e -> assertThat(e.errno()).isEqualTo(SysfsError.Errno.EPERM));
    }

    @Test
    void mapsTheKernelsErrorTextToItsErrno() {
        assertThat(
                        SysfsError.Errno.fromMessage(
                                "/sys/bus/cxl/devices/mem0/security/sanitize: Device or resource busy"))
                .isEqualTo(SysfsError.Errno.EBUSY);
        assertThat(SysfsError.Errno.fromMessage("No such device or address"))
                .isEqualTo(SysfsError.Errno.ENXIO);
        assertThat(SysfsError.Errno.fromMessage("Operation not supported"))
                .isEqualTo(SysfsError.Errno.EOPNOTSUPP);
        assertThat(SysfsError.Errno.fromMessage("something else")).isEqualTo(SysfsError.Errno.EIO);
    }
}
