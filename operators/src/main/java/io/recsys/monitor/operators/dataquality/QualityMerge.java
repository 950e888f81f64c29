package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.QualityTally;
import org.apache.flink.api.common.functions.ReduceFunction;

/** Merges the data quality counts of one slice and window. */
public class QualityMerge implements ReduceFunction<QualityTally> {
    private static final long serialVersionUID = 1L;

    private final int maxFeatures;

    public QualityMerge(int maxFeatures) {
        this.maxFeatures = maxFeatures;
    }

    @Override
    public QualityTally reduce(QualityTally a, QualityTally b) {
        a.counts.merge(b.counts, maxFeatures);
        return a;
    }
}
