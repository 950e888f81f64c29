package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.HealthTally;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Labels the health counts of a (model version, segment) window with the slice, read back from the
 * {@link TrafficSlice#key} the window was keyed by, and the window bounds.
 */
public class HealthWindow
        extends ProcessWindowFunction<ServiceHealthCounts, HealthTally, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String key,
            Context context,
            Iterable<ServiceHealthCounts> counts,
            Collector<HealthTally> out) {
        ServiceHealthCounts total = counts.iterator().next();
        String modelVersion = TrafficSlice.modelVersionOf(key);
        String segment = TrafficSlice.userSegmentOf(key);
        out.collect(
                new HealthTally(
                        modelVersion,
                        segment,
                        context.window().getStart(),
                        context.window().getEnd(),
                        total));
    }
}
