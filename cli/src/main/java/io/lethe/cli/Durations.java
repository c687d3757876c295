package io.lethe.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code 2h}, {@code 90m}, {@code 30s}, {@code 500ms}, {@code 1h30m} or ISO-8601 ({@code
 * PT2H}).
 */
final class Durations implements ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase();
        if (text.startsWith("pt") || text.startsWith("p")) {
            try {
                return positive(Duration.parse(text.toUpperCase()), value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not a duration (say 2h, 90m, 30s or PT2H)");
            }
        }
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total =
                    total.plus(
                            switch (m.group(2)) {
                                case "h" -> Duration.ofHours(n);
                                case "m" -> Duration.ofMinutes(n);
                                case "s" -> Duration.ofSeconds(n);
                                default -> Duration.ofMillis(n);
                            });
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration (say 2h, 90m, 30s or PT2H)");
        }
        return positive(total, value);
    }

    private static Duration positive(Duration d, String value) {
        if (d.isNegative() || d.isZero()) {
            throw new TypeConversionException("'" + value + "' must be longer than zero");
        }
        return d;
    }
}
