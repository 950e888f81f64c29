package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementTally;
import io.recsys.monitor.model.MetricPoint;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns the rolled-up funnel of one slice and window into the metric points of the operations
 * guide: CTR and ConversionRate in percent, AverageOrderValue, and (overall) the count of
 * unattributed feedback. The latest CTR per model version is also a Flink gauge in the {@code
 * kinesisanalytics} group, so that it shows in the web UI and in CloudWatch on Managed Service for
 * Apache Flink.
 */
public class EngagementReport
        extends ProcessWindowFunction<EngagementTally, MetricPoint, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final CtrDenominator denominator;

    private transient Map<String, double[]> latestCtrByModel;
    private transient MetricGroup metricGroup;

    public EngagementReport(String namespace, CtrDenominator denominator) {
        this.namespace = namespace;
        this.denominator = denominator;
    }

    @Override
    public void open(Configuration parameters) {
        latestCtrByModel = new HashMap<>();
        metricGroup = getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics");
    }

    @Override
    public void process(
            String key,
            Context context,
            Iterable<EngagementTally> tallies,
            Collector<MetricPoint> out) {
        EngagementTally tally = null;
        for (EngagementTally t : tallies) {
            tally = t;
        }
        if (tally == null) {
            return;
        }
        EngagementCounts counts = tally.counts;
        Map<String, String> dims = TrafficSlice.dimensions(tally.modelVersion, tally.userSegment);
        long start = context.window().getStart();
        long end = context.window().getEnd();

        OptionalDouble ctr = EngagementMetrics.clickThroughRate(counts, denominator);
        emit(out, EngagementMetrics.CTR, dims, ctr, "Percent", start, end);
        emit(
                out,
                EngagementMetrics.CONVERSION_RATE,
                dims,
                EngagementMetrics.conversionRate(counts),
                "Percent",
                start,
                end);
        emit(
                out,
                EngagementMetrics.AVERAGE_ORDER_VALUE,
                dims,
                EngagementMetrics.averageOrderValue(counts),
                "None",
                start,
                end);
        if (tally.modelVersion == null) {
            emit(
                    out,
                    EngagementMetrics.UNATTRIBUTED_FEEDBACK,
                    dims,
                    OptionalDouble.of(counts.unattributed),
                    "Count",
                    start,
                    end);
        }
        if (tally.modelVersion != null && tally.userSegment == null && ctr.isPresent()) {
            latestCtr(tally.modelVersion)[0] = ctr.getAsDouble();
        }
    }

    private void emit(
            Collector<MetricPoint> out,
            String metric,
            Map<String, String> dims,
            OptionalDouble value,
            String unit,
            long start,
            long end) {
        if (value.isPresent()) {
            out.collect(
                    new MetricPoint(
                            namespace, metric, dims, value.getAsDouble(), unit, start, end));
        }
    }

    private double[] latestCtr(String modelVersion) {
        return latestCtrByModel.computeIfAbsent(
                modelVersion,
                mv -> {
                    double[] holder = {Double.NaN};
                    metricGroup
                            .addGroup(TrafficSlice.MODEL_VERSION, mv)
                            .gauge("latestCTR", (Gauge<Double>) () -> holder[0]);
                    return holder;
                });
    }
}
