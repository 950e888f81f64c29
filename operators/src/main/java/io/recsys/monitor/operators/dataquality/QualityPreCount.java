package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.QualityTally;
import io.recsys.monitor.operators.preaggregation.WindowPreAggregation;
import io.recsys.monitor.operators.preaggregation.WindowTime;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Counts a stream's data quality per window of {@code metrics.data-quality-period} where the events
 * are parsed, before any shuffle ({@link WindowPreAggregation}): a few {@link QualityTally tallies}
 * per window, model version and source subtask cross the network instead of every event (a
 * prediction's data-quality view was about 740 bytes, and feedback is nine events in ten). The
 * counts add up, so the roll-up that merges tallies per slice gives the same totals as counting
 * every event in one place. Pending tallies are kept as {@link QualityTally}s under the state name
 * of the version that counted here first, so its savepoints restore; downstream they become
 * partials of the sliced-metric stages ({@link DataQualityMetric}).
 */
public class QualityPreCount<T> extends WindowPreAggregation<T, DataQualityCounts, QualityTally> {
    private static final long serialVersionUID = 1L;

    private static final String OVERALL = DataQualityMetric.OVERALL;

    private final long periodMillis;

    private QualityPreCount(
            long periodMillis,
            long allowedLatenessMillis,
            AggregateFunction<T, DataQualityCounts, DataQualityCounts> counting,
            KeySelector<T, String> slice) {
        super(
                counting,
                slice,
                WindowTime.recordTimestamp(),
                periodMillis,
                allowedLatenessMillis,
                new ListStateDescriptor<>(
                        "pending-quality-counts", TypeInformation.of(QualityTally.class)));
        this.periodMillis = periodMillis;
    }

    /** Predictions, counted per model version. */
    public static QualityPreCount<PredictionEvent> predictions(
            long periodMillis, long allowedLatenessMillis, int maxFeatures) {
        return new QualityPreCount<>(
                periodMillis,
                allowedLatenessMillis,
                QualityAggregates.predictions(maxFeatures),
                p -> p.modelVersion == null ? OVERALL : p.modelVersion);
    }

    /** Feedback, counted overall. */
    public static QualityPreCount<FeedbackEvent> feedback(
            long periodMillis, long allowedLatenessMillis, int maxFeatures) {
        return new QualityPreCount<>(
                periodMillis,
                allowedLatenessMillis,
                QualityAggregates.feedback(maxFeatures),
                f -> OVERALL);
    }

    /**
     * Predictions with a value beyond the cap of a dimension (the dimension of each), counted
     * overall: the value that was folded is the one thing not to make a dimension of.
     */
    public static QualityPreCount<String> foldedValues(
            long periodMillis, long allowedLatenessMillis, int maxFeatures) {
        return new QualityPreCount<>(
                periodMillis,
                allowedLatenessMillis,
                QualityAggregates.foldedValues(maxFeatures),
                d -> OVERALL);
    }

    @Override
    protected QualityTally partial(String slice, long windowStart, DataQualityCounts counts) {
        return new QualityTally(
                OVERALL.equals(slice) ? null : slice,
                windowStart,
                windowStart + periodMillis,
                counts);
    }

    @Override
    protected String sliceOf(QualityTally tally) {
        return tally.modelVersion == null ? OVERALL : tally.modelVersion;
    }

    @Override
    protected long windowStartOf(QualityTally tally) {
        return tally.windowStart;
    }

    @Override
    protected DataQualityCounts aggregateOf(QualityTally tally) {
        return tally.counts;
    }
}
