package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.QualityTally;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Labels the data quality counts of a window with the window bounds and, for predictions (keyed by
 * model version), the model version; other streams are keyed by a spreading bucket and count
 * overall only.
 */
public class QualityWindow
        extends ProcessWindowFunction<DataQualityCounts, QualityTally, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final boolean keyedByModelVersion;

    public QualityWindow(boolean keyedByModelVersion) {
        this.keyedByModelVersion = keyedByModelVersion;
    }

    @Override
    public void process(
            String key,
            Context context,
            Iterable<DataQualityCounts> counts,
            Collector<QualityTally> out) {
        out.collect(
                new QualityTally(
                        keyedByModelVersion ? key : null,
                        context.window().getStart(),
                        context.window().getEnd(),
                        counts.iterator().next()));
    }
}
