package io.lethe.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is asking: the name of the token behind the current request. */
public final class Actors {

    /**
     * The name audit records carry for what Lethe does on its own (steps, start-up): reserved, so
     * no token can pass for it.
     */
    public static final String SYSTEM = "lethe";

    private Actors() {}

    public static String current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || !authentication.isAuthenticated()
                ? "anonymous"
                : authentication.getName();
    }
}
