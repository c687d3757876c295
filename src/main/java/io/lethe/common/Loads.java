package io.lethe.common;

import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.Session;
import org.hibernate.SessionCheckMode;

/**
 * Loads many entities by id at once, for callers that need the views of a whole wave's members.
 * Unlike a query ({@code findAllById} is one), a load does not flush the persistence context first
 * (a wave's recording transaction holds dozens of changed entities, and every flush compares them
 * all), and it takes entities already in the persistence context from there: what the caller's
 * transaction changed is what it sees.
 */
public final class Loads {

    private Loads() {}

    /** The entities with these ids that exist, mapped by {@code view}; missing ids are absent. */
    public static <E, V> Map<UUID, V> views(
            EntityManager entities,
            Class<E> type,
            Collection<UUID> ids,
            Function<E, UUID> id,
            Function<E, V> view) {
        Map<UUID, V> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        // Hibernate's multi-load (Session#findMultiple, hibernate-core 7.x): one statement per
        // batch of ids, nulls for ids that do not exist.
        List<E> loaded =
                entities.unwrap(Session.class)
                        .findMultiple(type, List.copyOf(Set.copyOf(ids)), SessionCheckMode.ENABLED);
        for (E entity : loaded) {
            if (entity != null) {
                found.put(id.apply(entity), view.apply(entity));
            }
        }
        return found;
    }
}
