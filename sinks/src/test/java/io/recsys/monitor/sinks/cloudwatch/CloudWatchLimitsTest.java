package io.recsys.monitor.sinks.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudWatchLimitsTest {
    private static final long NOW = 1_795_000_000_000L;

    @Test
    void acceptsAnOrdinaryDatum() {
        assertThat(CloudWatchLimits.datumProblem(datum("CTR", Map.of("A", "v1"), 1.5, NOW), NOW))
                .isEmpty();
        assertThat(CloudWatchLimits.datumProblem(datum("CTR", Map.of(), 0.0, NOW), NOW)).isEmpty();
    }

    @Test
    void findsWhatCloudWatchWouldRefuse() {
        assertThat(problem(datum("CTR", Map.of(), Double.NaN, NOW))).contains("not a finite");
        assertThat(problem(datum("CTR", Map.of(), Double.POSITIVE_INFINITY, NOW)))
                .contains("not a finite");
        assertThat(problem(datum("CTR", Map.of(), 1e200, NOW))).contains("outside");
        assertThat(problem(datum("", Map.of(), 1, NOW))).contains("metric name");
        assertThat(problem(datum("x".repeat(256), Map.of(), 1, NOW))).contains("metric name");
        assertThat(problem(datum("CTR", Map.of("A", ""), 1, NOW))).contains("dimension 'A'");
        assertThat(problem(datum("CTR", Map.of("A", "x".repeat(1025)), 1, NOW)))
                .contains("1 to 1024");
        assertThat(problem(datum("CTR", Map.of("A", "caf\u00e9"), 1, NOW))).contains("ASCII");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 31; i++) {
            many.put("D" + i, "v");
        }
        assertThat(problem(datum("CTR", many, 1, NOW))).contains("31 dimensions");
        assertThat(problem(datum("CTR", Map.of(), 1, NOW - 15L * 24 * 3600 * 1000)))
                .contains("two weeks in the past");
        assertThat(problem(datum("CTR", Map.of(), 1, NOW + 3L * 3600 * 1000)))
                .contains("two hours in the future");
    }

    @Test
    void checksNamespaces() {
        assertThat(CloudWatchLimits.namespaceProblem("RecSys/Monitor")).isEmpty();
        assertThat(CloudWatchLimits.namespaceProblem("")).contains("namespace is empty");
        assertThat(CloudWatchLimits.namespaceProblem("AWS/EC2").get()).contains("reserved");
        assertThat(CloudWatchLimits.namespaceProblem(":x").get()).contains("colon");
        assertThat(CloudWatchLimits.namespaceProblem("n".repeat(256)).get()).contains("255");
    }

    @Test
    void theLargestValidDatumFitsTheDefaultRecordSize() {
        Map<String, String> dims = new HashMap<>();
        // Names and values of reserved characters only: each one is percent-encoded.
        for (int i = 1; i <= 30; i++) {
            dims.put("/".repeat(255 - i) + "!".repeat(i), "%".repeat(1024));
        }
        MetricDatumEntry largest = datum("/".repeat(255), dims, 1, NOW);
        assertThat(CloudWatchLimits.datumProblem(largest, NOW)).isEmpty();
        assertThat(largest.estimatedSizeInBytes())
                .isEqualTo(MetricDatumEntry.MAX_VALID_SIZE_BYTES)
                .isLessThanOrEqualTo(CloudWatchMetricsSinkBuilder.DEFAULT_MAX_RECORD_SIZE_IN_BYTES);
    }

    private static String problem(MetricDatumEntry entry) {
        return CloudWatchLimits.datumProblem(entry, NOW).orElse("(none)");
    }

    private static MetricDatumEntry datum(
            String name, Map<String, String> dims, double value, long timestamp) {
        return new MetricDatumEntry("NS", name, dims, value, "None", timestamp, 60);
    }
}
