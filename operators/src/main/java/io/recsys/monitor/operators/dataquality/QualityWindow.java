package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.QualityTally;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Labels the data quality counts of a window of dead letters, keyed by a spreading bucket, with the
 * window bounds; they count overall only. (Predictions and feedback are counted before the shuffle,
 * by {@link QualityPreCount}, which labels its own tallies.)
 */
public class QualityWindow
        extends ProcessWindowFunction<DataQualityCounts, QualityTally, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String key,
            Context context,
            Iterable<DataQualityCounts> counts,
            Collector<QualityTally> out) {
        out.collect(
                new QualityTally(
                        null,
                        context.window().getStart(),
                        context.window().getEnd(),
                        counts.iterator().next()));
    }
}
