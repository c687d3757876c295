package io.lethe.cli;

import picocli.CommandLine.Option;

/** The server's URL and the bearer token, from flags or the environment. */
final class Connection {

    @Option(
            names = "--url",
            description = "Lethe's base URL (default: $LETHE_URL, else http://localhost:8080)")
    String url;

    @Option(
            names = "--token",
            description =
                    "API token (default: $LETHE_TOKEN; prefer the variable, arguments show in process lists)")
    String token;

    String url() {
        String value = url != null ? url : System.getenv("LETHE_URL");
        value = value == null || value.isBlank() ? "http://localhost:8080" : value.trim();
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    String token() {
        String value = token != null ? token : System.getenv("LETHE_TOKEN");
        return value == null || value.isBlank() ? null : value.trim();
    }
}
