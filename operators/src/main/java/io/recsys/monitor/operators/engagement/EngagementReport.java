package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SliceTally;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
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
        long start = tally.windowStart;
        long end = tally.windowEnd;

        OptionalDouble ctr = EngagementMetrics.clickThroughRate(counts, denominator);
        emit(
                out,
                EngagementMetrics.CTR,
                dims,
                ctr,
                "Percent",
                start,
                end,
                EngagementMetrics.clickThroughTrials(counts, denominator),
                Double.NaN);
        emit(
                out,
                EngagementMetrics.CONVERSION_RATE,
                dims,
                EngagementMetrics.conversionRate(counts),
                "Percent",
                start,
                end,
                counts.clicks,
                Double.NaN);
        emit(
                out,
                EngagementMetrics.AVERAGE_ORDER_VALUE,
                dims,
                EngagementMetrics.averageOrderValue(counts),
                "None",
                start,
                end,
                counts.purchases,
                EngagementMetrics.orderValueStdDev(counts));
        emit(
                out,
                EngagementMetrics.REVENUE,
                dims,
                OptionalDouble.of(EngagementMetrics.revenue(counts)),
                "None",
                start,
                end);
        emit(
                out,
                EngagementMetrics.ADD_TO_CART_RATE,
                dims,
                EngagementMetrics.addToCartRate(counts),
                "Percent",
                start,
                end,
                counts.clicks,
                Double.NaN);
        emit(
                out,
                MetricNames.PRECISION_AT_10,
                dims,
                EngagementMetrics.precisionAt10(counts),
                "None",
                start,
                end);
        emit(
                out,
                MetricNames.RECALL_AT_10,
                dims,
                EngagementMetrics.recallAt10(counts),
                "None",
                start,
                end);
        emit(
                out,
                MetricNames.NDCG_AT_10,
                dims,
                EngagementMetrics.ndcgAt10(counts),
                "None",
                start,
                end);
        emit(
                out,
                MetricNames.MRR,
                dims,
                EngagementMetrics.meanReciprocalRank(counts),
                "None",
                start,
                end);
        if (userSegment == null) {
            for (int rank = 1; rank <= EngagementCounts.RANKS; rank++) {
                TreeMap<String, String> rankDims = new TreeMap<>(dims);
                rankDims.put(MetricNames.RANK, Integer.toString(rank));
                emit(
                        out,
                        EngagementMetrics.CTR_AT_RANK,
                        rankDims,
                        EngagementMetrics.clickThroughRateAtRank(counts, rank, denominator),
                        "Percent",
                        start,
                        end,
                        EngagementMetrics.clickThroughTrialsAtRank(counts, rank, denominator),
                        Double.NaN);
            }
        }
        if (modelVersion == null) {
            emit(
                    out,
                    EngagementMetrics.UNATTRIBUTED_FEEDBACK,
                    dims,
                    OptionalDouble.of(counts.unattributed),
                    "Count",
                    start,
                    end);
        }
        if (modelVersion != null && userSegment == null && ctr.isPresent()) {
            latestCtr(modelVersion)[0] = ctr.getAsDouble();
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
        emit(out, metric, dims, value, unit, start, end, 0, Double.NaN);
    }

    private void emit(
            Collector<MetricPoint> out,
            String metric,
            Map<String, String> dims,
            OptionalDouble value,
            String unit,
            long start,
            long end,
            long samples,
            double sampleStdDev) {
        if (value.isPresent()) {
            out.collect(
                    new MetricPoint(namespace, metric, dims, value.getAsDouble(), unit, start, end)
                            .withEvidence(samples, sampleStdDev));
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
