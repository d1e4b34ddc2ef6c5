package dev.haseq.launcher.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes in configuration: a whole number with an optional unit, {@code 1048576},
 * {@code 512KiB}, {@code 1MiB}, {@code 2MB}. {@code KiB/MiB/GiB} are powers of 1024,
 * {@code KB/MB/GB} powers of 1000, {@code B} is bytes; units are case-insensitive, a space
 * before the unit and {@code _} between digits are allowed.
 */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d[\\d_]*)\\s*([a-z]*)");

    private ByteSizes() {
    }

    public static long parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(invalid(text));
        }
        long unit = switch (m.group(2)) {
            case "", "b" -> 1L;
            case "kb" -> 1_000L;
            case "kib" -> 1L << 10;
            case "mb" -> 1_000_000L;
            case "mib" -> 1L << 20;
            case "gb" -> 1_000_000_000L;
            case "gib" -> 1L << 30;
            default -> throw new IllegalArgumentException(invalid(text));
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1).replace("_", "")), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large for a byte size");
        }
    }

    private static String invalid(String text) {
        return "'" + text + "' is not a byte size: use a whole number with an optional unit "
                + "(B, KB, KiB, MB, MiB, GB, GiB), e.g. 1MiB";
    }

    /** The shortest exact form: {@code 1MiB}, {@code 128KiB}, {@code 1000} bytes as {@code 1000B}. */
    public static String format(long bytes) {
        if (bytes > 0 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + "GiB";
        }
        if (bytes > 0 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "MiB";
        }
        if (bytes > 0 && bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + "KiB";
        }
        return bytes + "B";
    }
}
