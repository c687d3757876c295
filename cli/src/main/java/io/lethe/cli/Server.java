package io.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lethe.client.ApiClient;
import io.lethe.client.ApiException;
import java.time.Duration;

/**
 * The generated client, configured, and the retry rules around each call: a 429 is retried after
 * its {@code Retry-After} (up to five times), no answer or a 5xx three times with growing pauses;
 * what still fails becomes {@link Failures.Refused} (exit 2) or {@link Failures.Unreachable} (exit
 * 4). Calls that start work carry an Idempotency-Key, so a retry cannot start it twice.
 */
final class Server {

    private static final int MAX_429_RETRIES = 5;
    private static final int MAX_TRANSIENT_RETRIES = 3;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(2);

    private final ApiClient client = new ApiClient();
    private final String url;
    private final Progress progress;

    Server(String url, String token, Progress progress) {
        this.url = url;
        this.progress = progress;
        client.updateBaseUri(url);
        client.setConnectTimeout(Duration.ofSeconds(10));
        client.setReadTimeout(Duration.ofSeconds(90));
        if (token != null) {
            client.setRequestInterceptor(
                    request -> request.header("Authorization", "Bearer " + token));
        }
    }

    ApiClient client() {
        return client;
    }

    interface Call<T> {
        T run() throws ApiException;
    }

    <T> T call(Call<T> call) {
        int tooMany = 0;
        int transient_ = 0;
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                return call.run();
            } catch (ApiException e) {
                int status = e.getCode();
                if (status == 429 && tooMany++ < MAX_429_RETRIES) {
                    Duration wait = retryAfter(e);
                    progress.note("the server asks to retry in " + wait.toSeconds() + " s (429)");
                    sleep(wait);
                    continue;
                }
                if ((status == 0 || status >= 500) && transient_++ < MAX_TRANSIENT_RETRIES) {
                    sleep(pause);
                    pause = pause.multipliedBy(2);
                    continue;
                }
                if (status == 0) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    throw new Failures.Unreachable("cannot reach " + url + ": " + describe(cause));
                }
                if (status >= 500) {
                    throw new Failures.Unreachable(
                            url
                                    + " keeps answering "
                                    + status
                                    + " after "
                                    + MAX_TRANSIENT_RETRIES
                                    + " retries");
                }
                throw refused(e);
            }
        }
    }

    private Failures.Refused refused(ApiException e) {
        JsonNode problem = null;
        try {
            problem =
                    client.getObjectMapper()
                            .readTree(e.getResponseBody() == null ? "" : e.getResponseBody());
        } catch (Exception notJson) {
            // not a problem document; described by its status below
        }
        if (problem == null || !problem.isObject()) {
            var fallback = client.getObjectMapper().createObjectNode();
            fallback.put("status", e.getCode());
            fallback.put("title", "HTTP " + e.getCode());
            problem = fallback;
        }
        String title = problem.path("title").asText("HTTP " + e.getCode());
        String detail = problem.path("detail").asText("");
        if ("final-attempt-refused".equals(problem.path("code").asText())) {
            // The server names its JSON field; a CLI user repeats the command with the flag.
            detail =
                    detail.replaceAll("Repeat with .*$", "")
                            + "Repeat the command with --allow-final-attempt to use it.";
        }
        StringBuilder message = new StringBuilder(e.getCode() + " " + title);
        if (!detail.isEmpty()) {
            message.append(": ").append(detail);
        }
        for (JsonNode error : problem.path("errors")) {
            message.append(System.lineSeparator())
                    .append("  ")
                    .append(error.path("field").asText())
                    .append(": ")
                    .append(error.path("message").asText());
        }
        return new Failures.Refused(message.toString(), problem);
    }

    private static Duration retryAfter(ApiException e) {
        String value =
                e.getResponseHeaders() == null
                        ? null
                        : e.getResponseHeaders().firstValue("Retry-After").orElse(null);
        try {
            long seconds = Long.parseLong(value.trim());
            Duration wait = Duration.ofSeconds(Math.max(1, seconds));
            return wait.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : wait;
        } catch (RuntimeException absentOrNotSeconds) {
            return Duration.ofSeconds(1);
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failures.Unreachable("interrupted");
        }
    }
}
