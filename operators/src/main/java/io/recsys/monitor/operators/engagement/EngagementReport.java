package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.sliced.WindowPoints;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

/**
 * Turns the rolled-up funnel of one slice and window into the metric points of the operations
 * guide: CTR, ConversionRate and AddToCartRate in percent, AverageOrderValue,
 * RevenueFromRecommendations, the online ranking quality (PrecisionAt10, RecallAt10, NDCGAt10,
 * MRR), CTRAtRank for ranks 1 to 10 (overall and per model version only: per segment it would
 * multiply the series by ten for little news), and (overall) the count of unattributed feedback. A
 * corrected total (late feedback) yields the same points again with the same timestamp. The rates
 * carry their denominators as samples (CTR: impressions or items served, per {@link
 * CtrDenominator}; ConversionRate and AddToCartRate: clicks), AverageOrderValue its purchases and
 * their standard deviation.
 *
 * <p>The latest CTR per model version is also a Flink gauge in the {@code kinesisanalytics} group,
 * so that it shows in the web UI and in CloudWatch on Managed Service for Apache Flink.
 */
public class EngagementReport
        extends RichFlatMapFunction<SliceTally<EngagementCounts>, MetricPoint> {
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
    public void open(OpenContext openContext) {
        latestCtrByModel = new HashMap<>();
        metricGroup = getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics");
    }

    @Override
    public void flatMap(SliceTally<EngagementCounts> tally, Collector<MetricPoint> out) {
        EngagementCounts counts = tally.accumulator;
        String modelVersion = TrafficSlice.modelVersionOf(tally.slice);
        String userSegment = TrafficSlice.userSegmentOf(tally.slice);
        Map<String, String> dims = TrafficSlice.dimensions(modelVersion, userSegment);
        WindowPoints points = WindowPoints.of(tally, dims, namespace, out);

        OptionalDouble ctr = EngagementMetrics.clickThroughRate(counts, denominator);
        points.emit(
                EngagementMetrics.CTR,
                ctr,
                "Percent",
                EngagementMetrics.clickThroughTrials(counts, denominator));
        points.emit(
                EngagementMetrics.CONVERSION_RATE,
                EngagementMetrics.conversionRate(counts),
                "Percent",
                counts.clicks);
        points.emit(
                EngagementMetrics.AVERAGE_ORDER_VALUE,
                EngagementMetrics.averageOrderValue(counts),
                "None",
                counts.purchases,
                EngagementMetrics.orderValueStdDev(counts));
        points.emit(EngagementMetrics.REVENUE, EngagementMetrics.revenue(counts), "None");
        points.emit(
                EngagementMetrics.ADD_TO_CART_RATE,
                EngagementMetrics.addToCartRate(counts),
                "Percent",
                counts.clicks);
        points.emit(MetricNames.PRECISION_AT_10, EngagementMetrics.precisionAt10(counts), "None");
        points.emit(MetricNames.RECALL_AT_10, EngagementMetrics.recallAt10(counts), "None");
        points.emit(MetricNames.NDCG_AT_10, EngagementMetrics.ndcgAt10(counts), "None");
        points.emit(MetricNames.MRR, EngagementMetrics.meanReciprocalRank(counts), "None");
        if (userSegment == null) {
            for (int rank = 1; rank <= EngagementCounts.RANKS; rank++) {
                points.with(MetricNames.RANK, Integer.toString(rank))
                        .emit(
                                EngagementMetrics.CTR_AT_RANK,
                                EngagementMetrics.clickThroughRateAtRank(counts, rank, denominator),
                                "Percent",
                                EngagementMetrics.clickThroughTrialsAtRank(
                                        counts, rank, denominator));
            }
        }
        if (modelVersion == null) {
            points.emit(EngagementMetrics.UNATTRIBUTED_FEEDBACK, counts.unattributed, "Count");
        }
        if (modelVersion != null && userSegment == null && ctr.isPresent()) {
            latestCtr(modelVersion)[0] = ctr.getAsDouble();
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
