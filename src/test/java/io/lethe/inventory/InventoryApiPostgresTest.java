package io.lethe.inventory;

import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The inventory API on the real PostgreSQL server, in a schema of its own. */
@RequiresPostgres
class InventoryApiPostgresTest extends InventoryApiContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry);
    }
}
