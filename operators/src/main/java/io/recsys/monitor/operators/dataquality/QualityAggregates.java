package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import org.apache.flink.api.common.functions.AggregateFunction;

/** The window aggregates that count each stream into {@link DataQualityCounts}. */
public final class QualityAggregates {
    private QualityAggregates() {}

    /** Base: one accumulator type, merged with the feature cap. */
    abstract static class Counting<T>
            implements AggregateFunction<T, DataQualityCounts, DataQualityCounts> {
        private static final long serialVersionUID = 1L;

        final int maxFeatures;

        Counting(int maxFeatures) {
            this.maxFeatures = maxFeatures;
        }

        @Override
        public DataQualityCounts createAccumulator() {
            return new DataQualityCounts(maxFeatures);
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

    /** Counts predictions: completeness of features and fields, soft rules. */
    public static final class Predictions extends Counting<PredictionEvent> {
        private static final long serialVersionUID = 1L;

        public Predictions(int maxFeatures) {
            super(maxFeatures);
        }

        @Override
        public DataQualityCounts add(PredictionEvent p, DataQualityCounts c) {
            DataQualityCounting.add(p, c, maxFeatures);
            return c;
        }
    }

    /** Counts feedback events. */
    public static final class Feedback extends Counting<FeedbackEvent> {
        private static final long serialVersionUID = 1L;

        public Feedback(int maxFeatures) {
            super(maxFeatures);
        }

        @Override
        public DataQualityCounts add(FeedbackEvent f, DataQualityCounts c) {
            DataQualityCounting.add(f, c);
            return c;
        }
    }

    /** Counts dead letters by category, broken rule and missing required field. */
    public static final class DeadLetters extends Counting<DeadLetter> {
        private static final long serialVersionUID = 1L;

        public DeadLetters(int maxFeatures) {
            super(maxFeatures);
        }

        @Override
        public DataQualityCounts add(DeadLetter d, DataQualityCounts c) {
            DataQualityCounting.add(d, c);
            return c;
        }
    }

    /**
     * Counts predictions with a value beyond the cap of a dimension, one record per prediction and
     * dimension naming the dimension ({@code io.recsys.monitor.operators.ingest.FoldDimensions}).
     */
    public static final class FoldedValues extends Counting<String> {
        private static final long serialVersionUID = 1L;

        public FoldedValues(int maxFeatures) {
            super(maxFeatures);
        }

        @Override
        public DataQualityCounts add(String dimension, DataQualityCounts c) {
            DataQualityCounts.increment(c.folded, dimension, 1);
            return c;
        }
    }
}
