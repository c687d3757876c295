package io.lethe.host;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The backends hosts can be registered with, by type: each one a {@link BackendKind} bean. */
@Component
public class BackendKinds {

    private final Map<BackendType, BackendKind> kinds;

    BackendKinds(List<BackendKind> kinds) {
        this.kinds =
                kinds.stream()
                        .collect(
                                Collectors.toMap(
                                        BackendKind::type,
                                        Function.identity(),
                                        (a, b) -> {
                                            throw new IllegalStateException(
                                                    "two backends of type " + a.type());
                                        },
                                        LinkedHashMap::new));
    }

    /** Every backend built in, in their beans' order. */
    public java.util.Collection<BackendKind> all() {
        return kinds.values();
    }

    public BackendKind of(BackendType type) {
        BackendKind kind = kinds.get(type);
        if (kind == null) {
            throw new IllegalStateException("no backend of type " + type.wire() + " is built in");
        }
        return kind;
    }

    /** The backend whose settings these are. */
    BackendKind of(BackendSpec given) {
        return kinds.values().stream()
                .filter(k -> k.specType().isInstance(given))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "no backend takes " + given.getClass().getSimpleName()));
    }
}
