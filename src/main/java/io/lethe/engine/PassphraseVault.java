package io.lethe.engine;

import io.lethe.common.WireEnum;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The passphrases of running operations, in the memory of the replica that received the request and
 * nowhere else: never in the database, so that no old row version, backup or stolen disk holds one,
 * whatever key its finder has. A passphrase is forgotten (its characters overwritten) when its
 * operation ends, or when the transaction that created the operation rolls back.
 *
 * <p>The price: only this replica can run the step that needs it. Another replica that picks the
 * step asks again a little later (the holder picks it up in turn); if the holder is gone
 * (restarted, stopped), the step fails before it touches the device, and the operation says to send
 * the request again with the passphrase.
 */
@Component
public class PassphraseVault {

    private final Map<UUID, char[]> held = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;

    public PassphraseVault(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Holds an operation's passphrase; call inside the transaction that creates the operation. */
    public void hold(UUID operationId, String passphrase) {
        held.put(operationId, passphrase.toCharArray());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                            if (status != STATUS_COMMITTED) {
                                forget(operationId);
                            }
                        }
                    });
        }
    }

    public Optional<String> get(UUID operationId) {
        char[] passphrase = held.get(operationId);
        return passphrase == null ? Optional.empty() : Optional.of(new String(passphrase));
    }

    public void forget(UUID operationId) {
        char[] passphrase = held.remove(operationId);
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
    }

    int size() {
        return held.size();
    }

    /** Forgets the passphrases of operations that ended, whichever replica ended them. */
    @Scheduled(fixedDelayString = "${lethe.workflow.passphrase-sweep:PT10S}")
    void forgetEnded() {
        for (UUID id : List.copyOf(held.keySet())) {
            List<String> state =
                    jdbc.queryForList(
                            "select state from operations where id = ?", String.class, id);
            if (!state.isEmpty()
                    && WireEnum.require(OperationState.class, state.get(0)).isTerminal()) {
                forget(id);
            }
        }
    }
}
