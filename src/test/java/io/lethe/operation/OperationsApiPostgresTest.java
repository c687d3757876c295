package io.lethe.operation;

import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The operations end to end on the real PostgreSQL server. */
@RequiresPostgres
class OperationsApiPostgresTest extends OperationsApiContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry);
    }
}
