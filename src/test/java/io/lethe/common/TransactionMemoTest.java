package io.lethe.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

class TransactionMemoTest {

    private final DataSourceTransactionManager transactions =
            new DataSourceTransactionManager(
                    new DriverManagerDataSource("jdbc:h2:mem:memo;DB_CLOSE_DELAY=-1"));
    private final TransactionTemplate tx = new TransactionTemplate(transactions);
    private final TransactionMemo<String, Integer> memo = new TransactionMemo<>();
    private final List<String> asked = new ArrayList<>();

    private Integer ask(String key) {
        return memo.get(
                key,
                k -> {
                    asked.add(k);
                    return asked.size();
                });
    }

    @Test
    void aTransactionAsksOncePerKeyAndTheNextTransactionAsksAgain() {
        List<Integer> first = tx.execute(s -> List.of(ask("a"), ask("a"), ask("b"), ask("a")));
        assertThat(first).containsExactly(1, 1, 2, 1);
        Integer again = tx.execute(s -> ask("a"));
        assertThat(again).isEqualTo(3);
        assertThat(asked).containsExactly("a", "b", "a");
    }

    @Test
    void aTransactionStartedInsideAnotherKeepsItsOwnAnswersAndTheOuterOnesSurvive() {
        TransactionTemplate inner = new TransactionTemplate(transactions);
        inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        List<Integer> seen =
                tx.execute(
                        s -> {
                            int outer = ask("a");
                            int nested = inner.execute(n -> ask("a"));
                            return List.of(outer, nested, ask("a"));
                        });
        assertThat(seen).containsExactly(1, 2, 1);
    }

    @Test
    void outsideATransactionNothingIsRemembered() {
        assertThat(List.of(ask("a"), ask("a"))).containsExactly(1, 2);
    }
}
