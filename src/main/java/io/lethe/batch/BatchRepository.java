package io.lethe.batch;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface BatchRepository extends JpaRepository<Batch, UUID> {}
