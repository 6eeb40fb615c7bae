package io.dvsflow.jobs.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations written as {@code 50ms}, {@code 2s}, {@code 250us}, {@code 1.5s}, {@code 1m}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern FORMAT =
            Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(us|µs|ms|s|m|min)\\s*");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** Parses one duration; the unit is required. */
    public static Duration parse(String value) {
        Matcher m = FORMAT.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration; write it like 50ms, 2s or 250us");
        }
        double amount = Double.parseDouble(m.group(1));
        double micros =
                switch (m.group(2)) {
                    case "us", "µs" -> amount;
                    case "ms" -> amount * 1e3;
                    case "s" -> amount * 1e6;
                    default -> amount * 60e6;
                };
        long us = Math.round(micros);
        if (us <= 0) {
            throw new TypeConversionException("'" + value + "' must be at least 1us");
        }
        return Duration.ofNanos(us * 1000L);
    }
}
