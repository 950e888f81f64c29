package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementTally;
import io.recsys.monitor.operators.sliced.SlicedMetric;

/**
 * The engagement funnel as a sliced metric: attributed signals counted per (model version, segment)
 * into {@link EngagementCounts}, per window of {@code metrics.ml-period} placed by the signal's own
 * event time, kept for the attribution window (late feedback corrects its window), rolled up to the
 * model version and overall, and reported by {@link EngagementReport}. Its stages keep the uids of
 * earlier releases ({@code funnel-pre-aggregation}, {@code funnel-per-slice}, {@code
 * slice-roll-up}, {@code slice-totals}, {@code engagement-metrics}).
 */
public final class EngagementMetric {
    /** The type of the funnel counts in state and between operators. */
    public static final AccumulatorTypeInfo<EngagementCounts> COUNTS =
            AccumulatorTypeInfo.of(new EngagementCounts.Codec());

    private EngagementMetric() {}

    /** The description of the engagement funnel under {@code config}. */
    @SuppressWarnings("deprecation") // EngagementTally: only to drop what old savepoints kept
    public static SlicedMetric<EngagementSignal, EngagementCounts> describe(MonitorConfig config) {
        return SlicedMetric.<EngagementSignal, EngagementCounts>named("engagement", "Funnel counts")
                .uids("funnel-pre-aggregation", "funnel-per-slice", "slice-roll-up", "slice-totals")
                .slicedBy(s -> TrafficSlice.key(s.modelVersion, s.userSegment))
                // A click belongs to the window in which it happened, even when it waited for its
                // prediction and is emitted under the prediction's time.
                .windowTime((s, recordTimestamp) -> s.eventTime)
                .windows(
                        config.get(Settings.ML_METRIC_PERIOD),
                        config.get(Settings.ATTRIBUTION_WINDOW))
                .rollUp(TrafficSlice.ROLL_UP)
                .accumulator(new EngagementCounts.Codec())
                .previousTally(EngagementTally.class)
                .report(
                        new EngagementReport(
                                config.get(Settings.METRIC_NAMESPACE),
                                CtrDenominator.fromConfig(config.get(Settings.CTR_DENOMINATOR))),
                        "engagement-metrics",
                        "Engagement metrics (CTR, CTRAtRank, conversion, revenue, ranking)")
                .build();
    }
}
