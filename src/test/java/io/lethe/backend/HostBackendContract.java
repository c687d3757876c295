package io.lethe.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lethe.backend.HostBackend.EraseRequest;
import io.lethe.backend.HostBackend.EraseStatus;
import io.lethe.device.DeviceView;
import io.lethe.device.SecurityState;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What every backend must do, whatever drives the hardware. A subclass provides a fresh host with a
 * 2-way region over two disabled CXL memdevs and one locked memdev outside any region.
 */
public abstract class HostBackendContract {

    public static final String PASSPHRASE = "contract-passphrase";

    /** A fresh machine for one test. */
    public record Fixture(
            HostBackend backend,
            HostView host,
            RegionView region,
            DeviceView first,
            DeviceView second,
            DeviceView locked) {}

    protected abstract Fixture fixture(boolean virtualized);

    @Test
    void reportsTheSecurityStateOfEachDevice() {
        Fixture f = fixture(false);
        assertThat(f.backend().readDevice(f.host(), f.first()).securityState())
                .isEqualTo(SecurityState.DISABLED);
        assertThat(f.backend().readDevice(f.host(), f.locked()).securityState())
                .isEqualTo(SecurityState.LOCKED);
        assertThat(f.backend().readDevice(f.host(), f.locked()).unlockAttemptsLeft()).isEqualTo(3);
    }

    @Test
    void unlocksWithTheRightPassphraseAndCountsWrongOnes() {
        Fixture f = fixture(false);
        assertThatThrownBy(() -> f.backend().unlock(f.host(), f.locked(), "not-it"))
                .isInstanceOfSatisfying(
                        BackendException.WrongPassphrase.class,
                        e -> assertThat(e.attemptsLeft()).isEqualTo(2));
        assertThat(f.backend().readDevice(f.host(), f.locked()).unlockAttemptsLeft()).isEqualTo(2);
        f.backend().unlock(f.host(), f.locked(), PASSPHRASE);
        assertThat(f.backend().readDevice(f.host(), f.locked()).securityState())
                .isEqualTo(SecurityState.UNLOCKED);
    }

    @Test
    void refusesToEraseWhileTheRegionDecodes() {
        Fixture f = fixture(false);
        assertThatThrownBy(
                        () ->
                                f.backend()
                                        .startErase(
                                                f.host(),
                                                f.first(),
                                                request(EraseMethod.SANITIZE, "t1")))
                .isInstanceOf(BackendException.Refused.class)
                .hasMessageContaining("EBUSY");
    }

    @Test
    void refusesSanitizeWhileAPassphraseIsSet() {
        Fixture f = fixture(false);
        assertThatThrownBy(
                        () ->
                                f.backend()
                                        .startErase(
                                                f.host(),
                                                f.locked(),
                                                request(EraseMethod.SANITIZE, "t2")))
                .isInstanceOf(BackendException.Refused.class);
    }

    @Test
    void erasesADetachedDeviceInTheBackgroundOnceForOneTicket() {
        Fixture f = fixture(false);
        byte[] canary = new byte[64];
        Arrays.fill(canary, (byte) 0x3C);
        f.backend().writeThroughCpu(f.host(), f.region(), f.first(), canary);
        byte[] before =
                f.backend().mediaReadable() ? f.backend().readMedia(f.host(), f.first()) : null;
        f.backend().detachRegion(f.host(), f.region(), 1);
        f.backend().detachRegion(f.host(), f.region(), 1);
        assertThat(f.backend().eraseStatus(f.host(), f.first(), "t3").state())
                .isEqualTo(EraseStatus.State.NOT_STARTED);
        f.backend().startErase(f.host(), f.first(), request(EraseMethod.SANITIZE, "t3"));
        f.backend().startErase(f.host(), f.first(), request(EraseMethod.SANITIZE, "t3"));
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                f.backend().eraseStatus(f.host(), f.first(), "t3").state()
                                        == EraseStatus.State.COMPLETED);
        assertThat(f.backend().eraseStatus(f.host(), f.first(), "t3").finishedAt()).isNotNull();
        if (before != null) {
            assertThat(f.backend().readMedia(f.host(), f.first())).isNotEqualTo(before);
        }
        assertThat(f.backend().eraseStatus(f.host(), f.first(), "another-ticket").state())
                .isEqualTo(EraseStatus.State.NOT_STARTED);
        f.backend().invalidateCaches(f.host());
        f.backend().commitRegion(f.host(), f.region(), 2);
        byte[] after = f.backend().readThroughCpu(f.host(), f.region(), f.first());
        for (int at = 0; at + 64 <= after.length; at += 64) {
            assertThat(Arrays.copyOfRange(after, at, at + 64))
                    .as("line at %d", at)
                    .isNotEqualTo(canary);
        }
    }

    @Test
    void passphraseEraseNeedsThePassphrase() {
        Fixture f = fixture(false);
        assertThatThrownBy(
                        () ->
                                f.backend()
                                        .startErase(
                                                f.host(),
                                                f.locked(),
                                                new EraseRequest(
                                                        EraseMethod.PASSPHRASE_ERASE,
                                                        false,
                                                        "wrong",
                                                        "t4")))
                .isInstanceOf(BackendException.WrongPassphrase.class);
        f.backend()
                .startErase(
                        f.host(),
                        f.locked(),
                        new EraseRequest(EraseMethod.PASSPHRASE_ERASE, false, PASSPHRASE, "t5"));
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                f.backend().eraseStatus(f.host(), f.locked(), "t5").state()
                                        == EraseStatus.State.COMPLETED);
        assertThat(f.backend().readDevice(f.host(), f.locked()).securityState())
                .isEqualTo(SecurityState.DISABLED);
    }

    @Test
    void invalidatesOnBareMetalAndRefusesInAVirtualMachine() {
        Fixture metal = fixture(false);
        var invalidation = metal.backend().invalidateCaches(metal.host());
        assertThat(invalidation.startedAt()).isBeforeOrEqualTo(invalidation.finishedAt());
        Fixture vm = fixture(true);
        assertThatThrownBy(() -> vm.backend().invalidateCaches(vm.host()))
                .isInstanceOf(BackendException.InvalidationUnsupported.class);
    }

    @Test
    void theCpuViewReadsWhatItWroteWhileTheRegionDecodes() {
        Fixture f = fixture(false);
        byte[] pattern = new byte[64];
        Arrays.fill(pattern, (byte) 0x5A);
        f.backend().writeThroughCpu(f.host(), f.region(), f.second(), pattern);
        byte[] seen = f.backend().readThroughCpu(f.host(), f.region(), f.second());
        assertThat(Arrays.copyOfRange(seen, 0, 64)).isEqualTo(pattern);
        assertThat(f.backend().regionDecodes(f.host(), f.region())).isTrue();
        f.backend().detachRegion(f.host(), f.region(), 1);
        assertThat(f.backend().regionDecodes(f.host(), f.region()))
                .as("the host says what it decodes")
                .isFalse();
        f.backend().commitRegion(f.host(), f.region(), 2);
        assertThat(f.backend().regionDecodes(f.host(), f.region())).isTrue();
    }

    @Test
    void aRegionCommandThatLandsAfterALaterOneIsRefusedByItsFencingToken() {
        Fixture f = fixture(false);
        f.backend().detachRegion(f.host(), f.region(), 10);
        // A commit decided before that detach, landing after it: the host refuses it.
        assertThatThrownBy(() -> f.backend().commitRegion(f.host(), f.region(), 9))
                .isInstanceOf(BackendException.Fenced.class);
        assertThat(f.backend().commitUnlessSuperseded(f.host(), f.region(), 9)).isFalse();
        f.backend().commitRegion(f.host(), f.region(), 11);
        // A reset decided before that commit, landing after it, does not undo it either.
        assertThatThrownBy(() -> f.backend().detachRegion(f.host(), f.region(), 10))
                .isInstanceOf(BackendException.Fenced.class);
        byte[] pattern = new byte[64];
        Arrays.fill(pattern, (byte) 0x6B);
        f.backend().writeThroughCpu(f.host(), f.region(), f.first(), pattern);
        assertThat(
                        Arrays.copyOfRange(
                                f.backend().readThroughCpu(f.host(), f.region(), f.first()), 0, 64))
                .as("the region still decodes")
                .isEqualTo(pattern);
        // The same token again is the same command retried.
        f.backend().commitRegion(f.host(), f.region(), 11);
    }

    private static EraseRequest request(EraseMethod method, String ticket) {
        return new EraseRequest(method, false, null, ticket);
    }
}
