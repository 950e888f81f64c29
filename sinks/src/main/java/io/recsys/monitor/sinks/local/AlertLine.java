package io.recsys.monitor.sinks.local;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.text.UnicodeText;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One short, human-readable line per alert for the console of a local run, e.g.
 *
 * <pre>{@code
 * 2026-01-01T03:00:00Z CRITICAL ALARM recommendation-low-ctr CTR{} = 1.52 (threshold 2.0) - ...
 * 2026-01-01T04:00:00Z CRITICAL OK (resolved) recommendation-low-ctr CTR{} = 2.41 (threshold 2.0)
 * 2026-01-01T05:00:00Z CRITICAL ALARM (flapping) recommendation-low-ctr CTR{} = 1.9 (...) - ...
 * }</pre>
 *
 * <p>An alert of the alarm engine also shows its priority after the severity ({@code CRITICAL P2})
 * and, when it asks for one, its action ({@code action=rollback_model}).
 *
 * <p>The line has only what the alert carries: alarm, series, numbers and reason (alerts hold no
 * user data). The comparison operator is not part of an {@link Alert}, so the threshold is shown
 * without one. Control and format characters are printed as escapes (<code>&#92;u001b</code>). The
 * separator is ASCII because the console's charset is the platform's, not necessarily UTF-8.
 */
public final class AlertLine {

    /** Longer reasons are cut, so that one alert stays one terminal line or close to it. */
    static final int MAX_REASON_LENGTH = 160;

    private static final int SIGNIFICANT_DIGITS = 4;

    private AlertLine() {}

    /** The console line for {@code alert}, without a line terminator. */
    public static String format(Alert alert) {
        StringBuilder line = new StringBuilder(128);
        line.append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(alert.time)))
                .append(' ')
                .append(alert.severity == null ? "-" : alert.severity.toUpperCase(Locale.ROOT))
                .append(alert.priority == null ? "" : " " + alert.priority)
                .append(' ')
                .append(state(alert))
                .append(' ')
                .append(alert.alarmName)
                .append(' ')
                .append(alert.metric)
                .append(alert.dimensions == null ? "{}" : alert.dimensions.toString())
                .append(" = ")
                .append(number(alert.value))
                .append(" (threshold ")
                .append(number(alert.threshold))
                .append(')');
        if (alert.action != null && !alert.action.isEmpty() && !"none".equals(alert.action)) {
            line.append(" action=").append(alert.action);
        }
        if (alert.reason != null && !alert.reason.isEmpty()) {
            line.append(" - ").append(reason(alert.reason));
        }
        // Every part may hold text from configuration or input: escaped, no part can move the
        // cursor, clear the screen, set the title or reverse the text after it.
        return UnicodeText.printable(line.toString());
    }

    private static String state(Alert alert) {
        if ("flapping".equals(alert.notification)) {
            return alert.state + " (flapping)";
        }
        if ("OK".equals(alert.state) && "ALARM".equals(alert.previousState)) {
            return "OK (resolved)";
        }
        return String.valueOf(alert.state);
    }

    private static String reason(String reason) {
        String oneLine = reason.replace('\r', ' ').replace('\n', ' ');
        if (oneLine.length() <= MAX_REASON_LENGTH) {
            return oneLine;
        }
        return oneLine.substring(0, MAX_REASON_LENGTH - 3) + "...";
    }

    /**
     * Four significant digits but never fewer than the integer part, and always a decimal point, so
     * that 1.5234 reads {@code 1.523}, 2 reads {@code 2.0} and 1234.6 reads {@code 1235.0}. Shared
     * by every alert text (console line, SNS subject).
     */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        BigDecimal decimal = BigDecimal.valueOf(value);
        int integerDigits = Math.max(1, decimal.precision() - decimal.scale());
        BigDecimal rounded =
                decimal.round(
                                new MathContext(
                                        Math.max(SIGNIFICANT_DIGITS, integerDigits),
                                        RoundingMode.HALF_EVEN))
                        .stripTrailingZeros();
        if (rounded.scale() <= 0) {
            return rounded.setScale(1).toPlainString();
        }
        return rounded.toPlainString();
    }
}
