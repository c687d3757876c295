package io.lethe.support;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes an event as a holder does at its end, inside a transaction of its own; its listeners'
 * writes commit with it, or are rolled back with it.
 */
public record Publishing(
        ApplicationEventPublisher events, PlatformTransactionManager transactions) {

    public void committed(Object event) {
        inATransaction(event, false);
    }

    public void rolledBack(Object event) {
        inATransaction(event, true);
    }

    private void inATransaction(Object event, boolean rollBack) {
        new TransactionTemplate(transactions)
                .executeWithoutResult(
                        s -> {
                            events.publishEvent(event);
                            if (rollBack) {
                                s.setRollbackOnly();
                            }
                        });
    }
}
