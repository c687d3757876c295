package io.lethe.audit;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

interface AuditRepository
        extends JpaRepository<AuditRecord, UUID>, JpaSpecificationExecutor<AuditRecord> {}
