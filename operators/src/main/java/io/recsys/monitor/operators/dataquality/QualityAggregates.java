package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import java.io.Serializable;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * The window aggregates that count each stream into {@link DataQualityCounts}: one aggregate, told
 * how an item of its stream counts.
 */
public final class QualityAggregates {
    private QualityAggregates() {}

    /** Predictions: completeness of features and fields, soft rules. */
    public static Counting<PredictionEvent> predictions(int maxFeatures) {
        return new Counting<>(maxFeatures, (p, c) -> DataQualityCounting.add(p, c, maxFeatures));
    }

    /** Feedback events. */
    public static Counting<FeedbackEvent> feedback(int maxFeatures) {
        return new Counting<>(maxFeatures, DataQualityCounting::add);
    }

    /** Dead letters by category, broken rule and missing required field. */
    public static Counting<DeadLetter> deadLetters(int maxFeatures) {
        return new Counting<>(maxFeatures, DataQualityCounting::add);
    }

    /**
     * Predictions with a value beyond the cap of a dimension, one record per prediction and
     * dimension naming the dimension ({@code io.recsys.monitor.operators.ingest.FoldDimensions}).
     */
    public static Counting<String> foldedValues(int maxFeatures) {
        return new Counting<>(
                maxFeatures, (dimension, c) -> DataQualityCounts.increment(c.folded, dimension, 1));
    }

    /** How one item of a stream counts. */
    interface Count<T> extends Serializable {
        void add(T item, DataQualityCounts counts);
    }

    /** Counts a stream into one accumulator type, merged under the feature cap. */
    public static final class Counting<T>
            implements AggregateFunction<T, DataQualityCounts, DataQualityCounts> {
        private static final long serialVersionUID = 1L;

        private final int maxFeatures;
        private final Count<T> count;

        Counting(int maxFeatures, Count<T> count) {
            this.maxFeatures = maxFeatures;
            this.count = count;
        }

        @Override
        public DataQualityCounts createAccumulator() {
            return new DataQualityCounts(maxFeatures);
        }

        @Override
        public DataQualityCounts add(T item, DataQualityCounts counts) {
            count.add(item, counts);
            return counts;
        }

        @Override
        public DataQualityCounts getResult(DataQualityCounts counts) {
            return counts;
        }

        @Override
        public DataQualityCounts merge(DataQualityCounts a, DataQualityCounts b) {
            return a.merge(b, maxFeatures);
        }
    }
}
