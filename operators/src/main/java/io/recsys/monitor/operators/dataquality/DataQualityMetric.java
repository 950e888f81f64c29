package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.operators.sliced.RollUpLevel;
import io.recsys.monitor.operators.sliced.SlicedMetric;
import java.util.List;
import org.apache.flink.streaming.api.functions.windowing.WindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Data quality as a sliced metric: each stream is counted into {@link DataQualityCounts} where it
 * is parsed (predictions per model version, feedback and folded values overall: {@link
 * QualityPreCount}; dead letters overall, in buckets), so the stages start from these pre-counted
 * partials ({@link #deadLetterPartial()}); per window of {@code metrics.data-quality-period}, a
 * model version rolls up to overall only, and {@link DataQualityReport} reports each slice. Slice
 * keys are the model version, or "" for overall. Its uids follow from the name: {@code
 * data-quality-per-slice}, {@code data-quality-roll-up} (as in earlier releases), {@code
 * data-quality-totals}, and the report's {@code data-quality-metrics}.
 */
public final class DataQualityMetric {
    /** The key of the overall slice; model versions are never empty. */
    public static final String OVERALL = "";

    /** The one level data quality rolls up to: a model version into overall. */
    public static final RollUpLevel TO_OVERALL = slice -> slice.equals(OVERALL) ? null : OVERALL;

    private DataQualityMetric() {}

    /**
     * Labels the counts of a window of dead letters, keyed by a spreading bucket, as a partial of
     * overall (dead letters have no model version) for the per-slice window to complete.
     */
    public static WindowFunction<
                    DataQualityCounts, SlicePartial<DataQualityCounts>, String, TimeWindow>
            deadLetterPartial() {
        return (bucket, window, counts, out) ->
                out.collect(
                        new SlicePartial<>(OVERALL, window.getStart(), counts.iterator().next()));
    }

    /** The description of data quality under {@code config}. */
    public static SlicedMetric<DataQualityCounts, DataQualityCounts> describe(
            MonitorConfig config) {
        return SlicedMetric.<DataQualityCounts, DataQualityCounts>named(
                        "data-quality", "Data quality counts")
                .windows(
                        config.get(Settings.DATA_QUALITY_PERIOD),
                        config.get(Settings.DATA_QUALITY_ALLOWED_LATENESS))
                .rollUp(List.of(TO_OVERALL))
                .accumulator(new DataQualityCounts.Codec(config.get(Settings.MAX_FEATURES)))
                .report(
                        new DataQualityReport(config.get(Settings.METRIC_NAMESPACE)),
                        "data-quality-metrics",
                        "Data quality metrics: completeness, validity, invalid events, volume")
                .build();
    }
}
