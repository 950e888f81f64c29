package io.recsys.monitor.sinks.cloudwatch;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The limits CloudWatch puts on PutMetricData (CloudWatch API reference, PutMetricData and
 * MetricDatum; CloudWatch service quotas), and the local check of one datum against them. A datum
 * that breaks one would make the service reject its whole request, so the writer checks each datum
 * before sending it.
 */
public final class CloudWatchLimits {
    /** Metric datums in one PutMetricData request. */
    public static final int MAX_DATUMS_PER_REQUEST = 1000;

    /** Size of one PutMetricData HTTP POST request. */
    public static final long MAX_REQUEST_BYTES = 1024 * 1024;

    /**
     * Room kept in every request for what is not a datum: action, version, namespace, and the
     * encoding estimate's slack. The sink's byte limit per batch must leave at least this free.
     */
    public static final long REQUEST_OVERHEAD_BYTES = 16 * 1024;

    public static final int MAX_DIMENSIONS = 30;
    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_NAMESPACE_LENGTH = 255;
    public static final int MAX_DIMENSION_VALUE_LENGTH = 1024;

    /** Values CloudWatch accepts: magnitude between 2^-360 and 2^360, or zero. */
    public static final double MAX_MAGNITUDE = Math.pow(2, 360);

    public static final double MIN_MAGNITUDE = Math.pow(2, -360);

    /** CloudWatch refuses timestamps more than two weeks in the past. */
    public static final long MAX_AGE_MILLIS = 14L * 24 * 3600 * 1000;

    /** ... and more than two hours in the future. */
    public static final long MAX_AHEAD_MILLIS = 2L * 3600 * 1000;

    private CloudWatchLimits() {}

    /**
     * Why {@code namespace} cannot be used, or empty when it can. CloudWatch namespaces are 1 to
     * 255 printable ASCII characters, must not start with a colon, and {@code AWS/} is reserved for
     * AWS services.
     */
    public static Optional<String> namespaceProblem(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            return Optional.of("namespace is empty");
        }
        if (namespace.length() > MAX_NAMESPACE_LENGTH) {
            return Optional.of(
                    "namespace has "
                            + namespace.length()
                            + " characters, CloudWatch allows "
                            + MAX_NAMESPACE_LENGTH);
        }
        if (namespace.startsWith(":")) {
            return Optional.of("namespace '" + namespace + "' starts with a colon");
        }
        if (namespace.startsWith("AWS/")) {
            return Optional.of(
                    "namespace '" + namespace + "' starts with AWS/, which is reserved for AWS");
        }
        for (int i = 0; i < namespace.length(); i++) {
            char c = namespace.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Optional.of(
                        "namespace '"
                                + namespace
                                + "' contains a non-printable or non-ASCII"
                                + " character");
            }
        }
        return Optional.empty();
    }

    /**
     * Why CloudWatch would reject {@code entry}, or empty when it would not. {@code nowMillis} is
     * the wall clock the timestamp window is measured from.
     */
    public static Optional<String> datumProblem(MetricDatumEntry entry, long nowMillis) {
        Optional<String> ns = namespaceProblem(entry.getNamespace());
        if (ns.isPresent()) {
            return ns;
        }
        String name = entry.getMetricName();
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return Optional.of(
                    "metric name must have 1 to "
                            + MAX_NAME_LENGTH
                            + " characters, has "
                            + (name == null ? 0 : name.length()));
        }
        if (!isPrintableAscii(name)) {
            return Optional.of(
                    "metric name '"
                            + name
                            + "' must be printable ASCII with a non-blank character");
        }
        double v = entry.getValue();
        if (!Double.isFinite(v)) {
            return Optional.of("value " + v + " is not a finite number");
        }
        double magnitude = Math.abs(v);
        if (magnitude != 0 && (magnitude > MAX_MAGNITUDE || magnitude < MIN_MAGNITUDE)) {
            return Optional.of("value " + v + " is outside CloudWatch's range 2^-360..2^360");
        }
        Map<String, String> dims = entry.getDimensions();
        if (dims.size() > MAX_DIMENSIONS) {
            return Optional.of(
                    dims.size()
                            + " dimensions, CloudWatch allows "
                            + MAX_DIMENSIONS
                            + " per datum");
        }
        for (Map.Entry<String, String> d : dims.entrySet()) {
            String key = d.getKey();
            String value = d.getValue();
            if (key == null || key.isEmpty() || key.length() > MAX_NAME_LENGTH) {
                return Optional.of(
                        "dimension name '"
                                + key
                                + "' must have 1 to "
                                + MAX_NAME_LENGTH
                                + " characters");
            }
            if (!isPrintableAscii(key) || key.startsWith(":")) {
                return Optional.of(
                        "dimension name '"
                                + key
                                + "' must be printable ASCII with a non-blank character, not"
                                + " starting with a colon");
            }
            if (value == null || value.isEmpty() || value.length() > MAX_DIMENSION_VALUE_LENGTH) {
                return Optional.of(
                        "value of dimension '"
                                + key
                                + "' must have 1 to "
                                + MAX_DIMENSION_VALUE_LENGTH
                                + " characters, has "
                                + (value == null ? 0 : value.length()));
            }
            if (!isPrintableAscii(value)) {
                return Optional.of(
                        "value of dimension '"
                                + key
                                + "' must be printable ASCII with a non-blank character");
            }
        }
        long t = entry.getTimestampMillis();
        if (t < nowMillis - MAX_AGE_MILLIS) {
            return Optional.of(
                    "timestamp "
                            + java.time.Instant.ofEpochMilli(t)
                            + " is more than two weeks in the past");
        }
        if (t > nowMillis + MAX_AHEAD_MILLIS) {
            return Optional.of(
                    "timestamp "
                            + java.time.Instant.ofEpochMilli(t)
                            + " is more than two hours in the future");
        }
        return Optional.empty();
    }

    /**
     * CloudWatch wants metric and dimension names and dimension values in ASCII, without control
     * characters, and not blank.
     */
    static boolean isPrintableAscii(String text) {
        boolean nonBlank = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
            nonBlank |= c != ' ';
        }
        return nonBlank;
    }

    /**
     * Characters {@code text} takes in a form-encoded (AWS query protocol) request body: one per
     * unreserved ASCII character, three per other UTF-8 byte.
     */
    static int formEncodedLength(String text) {
        if (text == null) {
            return 0;
        }
        int n = 0;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            boolean unreserved =
                    (b >= 'a' && b <= 'z')
                            || (b >= 'A' && b <= 'Z')
                            || (b >= '0' && b <= '9')
                            || b == '-'
                            || b == '_'
                            || b == '.'
                            || b == '~';
            n += unreserved ? 1 : 3;
        }
        return n;
    }
}
