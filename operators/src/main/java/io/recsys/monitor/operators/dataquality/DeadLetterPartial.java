package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.SlicePartial;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Labels the data quality counts of a window of dead letters, keyed by a spreading bucket, as a
 * partial of the overall slice (dead letters have no model version), for the per-slice window of
 * the sliced-metric stages to complete. Predictions and feedback are counted before the shuffle
 * ({@link QualityPreCount}) instead.
 */
public class DeadLetterPartial
        extends ProcessWindowFunction<
                DataQualityCounts, SlicePartial<DataQualityCounts>, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String bucket,
            Context context,
            Iterable<DataQualityCounts> counts,
            Collector<SlicePartial<DataQualityCounts>> out) {
        out.collect(
                new SlicePartial<>(
                        DataQualityMetric.OVERALL,
                        context.window().getStart(),
                        counts.iterator().next()));
    }
}
