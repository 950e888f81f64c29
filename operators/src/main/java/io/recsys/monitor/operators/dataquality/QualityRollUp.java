package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.QualityTally;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Sends a model version's data quality counts to itself and to overall; others to overall. */
public class QualityRollUp implements FlatMapFunction<QualityTally, QualityTally> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(QualityTally tally, Collector<QualityTally> out) {
        out.collect(tally);
        if (tally.modelVersion != null) {
            out.collect(
                    new QualityTally(
                            null,
                            tally.windowStart,
                            tally.windowEnd,
                            DataQualityCounts.Serializer.INSTANCE.copy(tally.counts)));
        }
    }

    /** The key of a tally's slice: its model version, or empty for overall. */
    public static String sliceKey(QualityTally tally) {
        return tally.modelVersion == null ? "" : tally.modelVersion;
    }
}
