package io.lethe.region;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Finds and locks regions without a JPA query. A JPA query first dirty-checks every entity the
 * transaction holds (Hibernate's automatic flush); in a wave's recording transaction those are the
 * operations, steps and regions of all its members, and the region's bookkeeping of an erase's
 * start and end asked once per member. Which region a device is in, and which host a region is on,
 * do not change while the region exists, so plain JDBC reads them; the row lock goes through {@code
 * EntityManager.find}, which does not flush and takes no second lock on a region the transaction
 * holds already.
 */
@Component
class RegionLocks {

    private final JdbcTemplate jdbc;
    private final EntityManager entities;
    private final HostOrder order;

    RegionLocks(JdbcTemplate jdbc, EntityManager entities, HostOrder order) {
        this.jdbc = jdbc;
        this.entities = entities;
        this.order = order;
    }

    /**
     * The region under its row lock, taken after its host's order lock (one lock order for every
     * writer of regions), if it exists.
     */
    Optional<Region> inOrder(UUID regionId) {
        Optional<UUID> host = hostOf(regionId);
        host.ifPresent(order::lock);
        return host.flatMap(h -> lock(regionId));
    }

    /** {@link #inOrder}, for a region that must exist. */
    Region inOrderOrThrow(UUID regionId) {
        return inOrder(regionId).orElseThrow(() -> new RegionNotFound(regionId.toString()));
    }

    /**
     * The region the device is a member of, if any: its id alone, as loading the entity before
     * locking it would hold a copy the lock's fresh read conflicts with.
     */
    Optional<UUID> regionOf(UUID deviceId) {
        return first(
                jdbc.queryForList(
                        "select region_id from region_members where device_id = ?",
                        UUID.class,
                        deviceId));
    }

    /** The host of the region, if the region exists. */
    Optional<UUID> hostOf(UUID regionId) {
        return first(
                jdbc.queryForList(
                        "select host_id from regions where id = ?", UUID.class, regionId));
    }

    /** The region under its row lock (held until the transaction ends), if it exists. */
    Optional<Region> lock(UUID regionId) {
        return Optional.ofNullable(
                entities.find(Region.class, regionId, LockModeType.PESSIMISTIC_WRITE));
    }

    private static Optional<UUID> first(List<UUID> found) {
        return found.stream().findFirst();
    }
}
