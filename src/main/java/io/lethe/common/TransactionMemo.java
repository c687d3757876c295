package io.lethe.common;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Answers remembered for the rest of the caller's transaction, by key. Bound to the transaction:
 * set aside while a transaction started inside it runs, and forgotten when it ends, so a later
 * transaction asks again. Outside a transaction nothing is remembered.
 *
 * @param <K> what an answer is about
 * @param <V> the answer
 */
public final class TransactionMemo<K, V> {

    /**
     * The answer for {@code key} this transaction gave already, else {@code compute}'s, remembered.
     */
    public V get(K key, Function<K, V> compute) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return compute.apply(key);
        }
        Map<K, V> answers = ofThisTransaction();
        V known = answers.get(key);
        if (known != null) {
            return known;
        }
        V answer = compute.apply(key);
        answers.put(key, answer);
        return answer;
    }

    @SuppressWarnings("unchecked")
    private Map<K, V> ofThisTransaction() {
        Map<K, V> answers = (Map<K, V>) TransactionSynchronizationManager.getResource(this);
        if (answers != null) {
            return answers;
        }
        Map<K, V> fresh = new HashMap<>();
        TransactionSynchronizationManager.bindResource(this, fresh);
        TransactionSynchronizationManager.registerSynchronization(
                new TransactionSynchronization() {
                    @Override
                    public void suspend() {
                        TransactionSynchronizationManager.unbindResource(TransactionMemo.this);
                    }

                    @Override
                    public void resume() {
                        TransactionSynchronizationManager.bindResource(TransactionMemo.this, fresh);
                    }

                    @Override
                    public void afterCompletion(int status) {
                        TransactionSynchronizationManager.unbindResourceIfPossible(
                                TransactionMemo.this);
                    }
                });
        return fresh;
    }
}
