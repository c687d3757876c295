package io.lethe.audit;

import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Audit tampering detected on the real PostgreSQL server. */
@RequiresPostgres
class AuditChainPostgresTest extends AuditChainContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry);
    }
}
