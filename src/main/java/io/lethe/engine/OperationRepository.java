package io.lethe.engine;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/**
 * The operations: where an operation is created ({@code save}) and read. Moving one goes through
 * the engine ({@link StepRecorder}, under the row lock {@link #lock} takes), never through a save
 * here.
 */
interface OperationRepository
        extends JpaRepository<Operation, UUID>, JpaSpecificationExecutor<Operation> {

    /** The operation under a row lock: one replica at a time moves it. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select o from Operation o where o.id = :id")
    Optional<Operation> lock(UUID id);

    /**
     * The operations under row locks, taken in id order so that two callers never wait for each
     * other.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select o from Operation o where o.id in :ids order by o.id")
    List<Operation> lockAll(Collection<UUID> ids);

    /** Operations still queued or running whose deadline has passed, oldest first. */
    @Query(
            "select o.id from Operation o where o.state in :active and o.timeline.deadline < :now order by o.timeline.deadline")
    List<UUID> pastDeadline(Collection<OperationState> active, Instant now, Limit limit);

    /** Operations still queued or running whose deadline has passed, oldest first. */
    default List<UUID> pastDeadline(Instant now, Limit limit) {
        return pastDeadline(OperationState.ACTIVE, now, limit);
    }
}
