package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.operators.engagement.TrafficSlice;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Labels the sketch of a (model version, segment) window, keyed by {@link TrafficSlice#key}, with
 * its slice and window bounds. A window whose responses all had no recommendations (errors) yields
 * nothing.
 */
public class RecommendationTallyWindow
        extends ProcessWindowFunction<
                RecommendationSketch, RecommendationTally, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String key,
            Context context,
            Iterable<RecommendationSketch> sketches,
            Collector<RecommendationTally> out) {
        RecommendationSketch total = null;
        for (RecommendationSketch s : sketches) {
            total = total == null ? s : total.merge(s);
        }
        if (total == null || total.responses() == 0) {
            return;
        }
        String modelVersion = TrafficSlice.modelVersionOf(key);
        String segment = TrafficSlice.userSegmentOf(key);
        out.collect(
                new RecommendationTally(
                        modelVersion,
                        segment,
                        context.window().getStart(),
                        context.window().getEnd(),
                        total));
    }
}
