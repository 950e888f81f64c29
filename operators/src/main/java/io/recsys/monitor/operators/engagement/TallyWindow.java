package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementTally;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Labels the funnel counts of a (model version, segment) window with the slice and the window
 * bounds. The slice is read from the counted signals' key.
 */
public class TallyWindow
        extends ProcessWindowFunction<EngagementCounts, EngagementTally, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String key,
            Context context,
            Iterable<EngagementCounts> counts,
            Collector<EngagementTally> out) {
        EngagementCounts total = new EngagementCounts();
        for (EngagementCounts c : counts) {
            total.merge(c);
        }
        String modelVersion = TrafficSlice.modelVersionOf(key);
        String segment = TrafficSlice.userSegmentOf(key);
        out.collect(
                new EngagementTally(
                        modelVersion,
                        segment,
                        context.window().getStart(),
                        context.window().getEnd(),
                        total));
    }
}
