package io.lethe.backend.simulated;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The simulated hardware's database: given outright, or derived from the service's so that replicas
 * of one service share one simulated fleet, as they share one real one, and a restart finds it as
 * media would be found.
 *
 * <ul>
 *   <li>H2 ({@code jdbc:h2:file:}, {@code mem:}, {@code tcp:}): the same kind of database, its name
 *       followed by {@value #SUFFIX}, with the service URL's settings ({@code WRITE_DELAY=0} and
 *       the rest): the default {@code ./data/lethe} gives {@code ./data/lethe-simulated-hardware}.
 *   <li>PostgreSQL: the same server and database, in a schema of its own.
 * </ul>
 */
record HardwareStoreLocation(String url, String username, String password, String schema) {

    static final String SUFFIX = "-simulated-hardware";

    static HardwareStoreLocation of(
            SimulatedHardwareProperties own,
            String serviceUrl,
            String serviceUser,
            String servicePassword) {
        String user = given(own.username()) ? own.username() : serviceUser;
        String password = given(own.password()) ? own.password() : servicePassword;
        String schema = given(own.schema()) ? own.schema() : null;
        if (given(own.url())) {
            return new HardwareStoreLocation(own.url(), user, password, schema);
        }
        if (serviceUrl == null) {
            throw new IllegalStateException(
                    "lethe.simulated-hardware.url is needed: the service's database has no URL"
                            + " (spring.datasource.url) to derive the simulated hardware's from");
        }
        if (serviceUrl.startsWith("jdbc:h2:")) {
            int settings = serviceUrl.indexOf(';');
            String name = settings < 0 ? serviceUrl : serviceUrl.substring(0, settings);
            String rest = settings < 0 ? "" : serviceUrl.substring(settings);
            return new HardwareStoreLocation(name + SUFFIX + rest, user, password, null);
        }
        if (serviceUrl.startsWith("jdbc:postgresql:")) {
            if (schema == null) {
                String service = currentSchema(serviceUrl);
                schema = service == null ? "lethe_simulated" : service + "_simulated";
            }
            return new HardwareStoreLocation(serviceUrl, user, password, schema);
        }
        // The URL itself is not quoted: it may carry a password.
        throw new IllegalStateException(
                "lethe.simulated-hardware.url is needed: the simulated hardware's database is"
                        + " derived only from an H2 or PostgreSQL spring.datasource.url");
    }

    /** The first schema of a PostgreSQL URL's {@code currentSchema}, or null without one. */
    private static String currentSchema(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String parameter : url.substring(query + 1).split("&")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).equalsIgnoreCase("currentSchema")) {
                String value =
                        URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
                String first = value.split(",")[0].trim();
                return first.isEmpty() || first.equals("public") ? null : first;
            }
        }
        return null;
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        // never the password, nor a URL that may hold one
        return "HardwareStoreLocation[schema=" + schema + "]";
    }
}
