package io.lethe.region;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.common.Ids;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The host order's row lock on the real database: held until the transaction that took it ends, and
 * taken again by the next transaction on the same thread, so another transaction cannot number an
 * invalidation meanwhile.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostOrderTest {

    @Autowired HostOrder order;
    @Autowired PlatformTransactionManager transactions;

    /** One thread for both transactions of the holder: nothing of the first may carry over. */
    final ExecutorService holder = Executors.newSingleThreadExecutor();

    final ExecutorService contender = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        holder.shutdownNow();
        contender.shutdownNow();
    }

    @Test
    void aLaterTransactionOnTheSameThreadTakesTheLockAgain() throws Exception {
        UUID host = Ids.newId();
        TransactionTemplate tx = new TransactionTemplate(transactions);
        holder.submit(
                        () ->
                                tx.executeWithoutResult(
                                        s -> {
                                            order.lock(host);
                                            order.lock(host);
                                        }))
                .get(10, TimeUnit.SECONDS);

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holding =
                holder.submit(
                        () ->
                                tx.executeWithoutResult(
                                        s -> {
                                            order.lock(host);
                                            locked.countDown();
                                            await(release);
                                        }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

        Future<Long> next = contender.submit(() -> tx.execute(s -> order.next(host)));
        assertThat(blocked(next)).as("the contender waits for the holder's lock").isTrue();

        release.countDown();
        holding.get(10, TimeUnit.SECONDS);
        assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
    }

    private static boolean blocked(Future<?> future) throws Exception {
        try {
            future.get(700, TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException stillWaiting) {
            return true;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
