package io.recsys.monitor.sinks.cloudwatch;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which dimensions a datum may carry to CloudWatch, and how many distinct values each may take.
 * Every distinct set of dimension values is a separate, billed CloudWatch metric, so a producer
 * that puts a request id or a user id into a dimension would create millions of them: only
 * configured names are sent, a user id can never be one, and beyond {@code maxValuesPerDimension}
 * distinct values per metric and dimension the rest are sent as {@value #OTHER}.
 *
 * <p>The policy itself is immutable and travels with the sink; the values seen so far live in a
 * {@link Limiter}, one per writer (first come, first kept).
 */
public final class DimensionPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The value that stands for every value beyond the cap. */
    public static final String OTHER = "other";

    /** user_id, userId, UserID, user-id, ...: per-user series would be unbounded and personal. */
    private static final Pattern USER_ID = Pattern.compile("user.?id", Pattern.CASE_INSENSITIVE);

    private final LinkedHashSet<String> allowed;
    private final int maxValuesPerDimension;

    private DimensionPolicy(LinkedHashSet<String> allowed, int maxValuesPerDimension) {
        this.allowed = allowed;
        this.maxValuesPerDimension = maxValuesPerDimension;
    }

    /**
     * Sends only {@code names}, each with at most {@code maxValuesPerDimension} distinct values per
     * metric.
     *
     * @throws IllegalArgumentException if a name looks like a user id, is empty or too long, there
     *     are more than CloudWatch's 30, or the cap is below 1
     */
    public static DimensionPolicy allow(List<String> names, int maxValuesPerDimension) {
        Objects.requireNonNull(names, "names");
        if (maxValuesPerDimension < 1) {
            throw new IllegalArgumentException(
                    "cloudwatch.max-dimension-values must be at least 1, got "
                            + maxValuesPerDimension);
        }
        LinkedHashSet<String> allowed = new LinkedHashSet<>();
        for (String raw : names) {
            String name = raw == null ? "" : raw.trim();
            if (name.isEmpty() || name.length() > CloudWatchLimits.MAX_NAME_LENGTH) {
                throw new IllegalArgumentException(
                        "cloudwatch.dimensions: dimension names must have 1 to "
                                + CloudWatchLimits.MAX_NAME_LENGTH
                                + " characters, got '"
                                + raw
                                + "'");
            }
            if (isUserId(name)) {
                throw new IllegalArgumentException(
                        "cloudwatch.dimensions: '"
                                + name
                                + "' looks like a user id and can never be a CloudWatch dimension:"
                                + " one metric per user is unbounded in cost and puts personal data"
                                + " into metric names. Remove it from cloudwatch.dimensions;"
                                + " aggregate by a segment (e.g. UserSegment) instead.");
            }
            allowed.add(name);
        }
        if (allowed.size() > CloudWatchLimits.MAX_DIMENSIONS) {
            throw new IllegalArgumentException(
                    "cloudwatch.dimensions: "
                            + allowed.size()
                            + " names, CloudWatch allows "
                            + CloudWatchLimits.MAX_DIMENSIONS
                            + " dimensions per datum");
        }
        return new DimensionPolicy(allowed, maxValuesPerDimension);
    }

    /** Whether {@code name} looks like a user id (matches {@code /user.?id/i} anywhere). */
    public static boolean isUserId(String name) {
        return name != null && USER_ID.matcher(name).find();
    }

    /** The dimension names sent, in configured order. */
    public List<String> allowedNames() {
        return Collections.unmodifiableList(new ArrayList<>(allowed));
    }

    public int maxValuesPerDimension() {
        return maxValuesPerDimension;
    }

    /** A fresh record of values seen, for one writer. */
    public Limiter newLimiter() {
        return new Limiter();
    }

    @Override
    public String toString() {
        return "DimensionPolicy{allowed=" + allowed + ", maxValues=" + maxValuesPerDimension + "}";
    }

    /**
     * The values seen so far per (namespace, metric, dimension name), and the cap applied to new
     * ones. Not thread-safe: a writer's converter runs on its task thread only. Its memory is
     * bounded by the cap for every series it has seen.
     */
    public final class Limiter {
        private final Map<String, Set<String>> seen = new HashMap<>();

        private Limiter() {}

        /**
         * Puts into {@code out} the allowed dimensions of a datum, folding values beyond the cap
         * into {@value #OTHER}, and returns how many values were folded.
         */
        public int apply(
                String namespace,
                String metric,
                Map<String, String> dimensions,
                TreeMap<String, String> out) {
            int folded = 0;
            for (Map.Entry<String, String> d : dimensions.entrySet()) {
                String name = d.getKey();
                if (!allowed.contains(name)) {
                    continue;
                }
                String value = d.getValue();
                if (value != null && !OTHER.equals(value)) {
                    Set<String> values =
                            seen.computeIfAbsent(
                                    namespace + '\u0000' + metric + '\u0000' + name,
                                    k -> new HashSet<>());
                    if (!values.contains(value)) {
                        if (values.size() < maxValuesPerDimension) {
                            values.add(value);
                        } else {
                            value = OTHER;
                            folded++;
                        }
                    }
                }
                out.put(name, value);
            }
            return folded;
        }
    }
}
