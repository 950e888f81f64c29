package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.HealthTally;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.operators.engagement.SliceTotals;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/**
 * Sends the health counts of a (model version, segment) slice to every slice it belongs to: itself,
 * its model version and overall. Each copy owns its sketch, since the receivers merge into them,
 * and names the fine slice it came from, so that the totals ({@link #totals}) can replace a slice's
 * contribution when its window fires again with late responses.
 */
public class HealthRollUp implements FlatMapFunction<HealthTally, HealthTally> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(HealthTally tally, Collector<HealthTally> out) {
        String source = TrafficSlice.key(tally.modelVersion, tally.userSegment);
        tally.sourceSlice = source;
        out.collect(tally);
        if (tally.modelVersion != null && tally.userSegment != null) {
            out.collect(copy(tally, tally.modelVersion, source));
        }
        if (tally.modelVersion != null) {
            out.collect(copy(tally, null, source));
        }
    }

    private static HealthTally copy(HealthTally tally, String modelVersion, String source) {
        HealthTally coarse =
                new HealthTally(
                        modelVersion,
                        null,
                        tally.windowStart,
                        tally.windowEnd,
                        ServiceHealthCounts.Serializer.INSTANCE.copy(tally.counts));
        coarse.sourceSlice = source;
        return coarse;
    }

    /** The key of a tally's slice. */
    public static String sliceKey(HealthTally tally) {
        return TrafficSlice.key(tally.modelVersion, tally.userSegment);
    }

    /**
     * The per-slice totals of the health counts: the latest counts of each fine slice, summed, and
     * emitted again (once per watermark advance) when a late response corrects a reported window.
     */
    public static SliceTotals<HealthTally, ServiceHealthCounts> totals(
            long allowedLatenessMillis, int maxErrorTypes) {
        return new SliceTotals<>(allowedLatenessMillis, new HealthFamily(maxErrorTypes));
    }

    /** Service health: {@link HealthTally} and {@link ServiceHealthCounts}. */
    private static final class HealthFamily
            implements SliceTotals.Family<HealthTally, ServiceHealthCounts> {
        private static final long serialVersionUID = 1L;

        private final int maxErrorTypes;

        HealthFamily(int maxErrorTypes) {
            this.maxErrorTypes = maxErrorTypes;
        }

        @Override
        public TypeInformation<HealthTally> tallyType() {
            return TypeInformation.of(HealthTally.class);
        }

        @Override
        public TypeInformation<ServiceHealthCounts> countsType() {
            return TypeInformation.of(ServiceHealthCounts.class);
        }

        @Override
        public long windowStart(HealthTally tally) {
            return tally.windowStart;
        }

        @Override
        public long windowEnd(HealthTally tally) {
            return tally.windowEnd;
        }

        @Override
        public String sourceSlice(HealthTally tally) {
            return tally.sourceSlice;
        }

        @Override
        public ServiceHealthCounts counts(HealthTally tally) {
            return tally.counts;
        }

        @Override
        public ServiceHealthCounts emptyCounts() {
            return new ServiceHealthCounts();
        }

        @Override
        public ServiceHealthCounts merge(ServiceHealthCounts into, ServiceHealthCounts from) {
            return into.merge(from, maxErrorTypes);
        }

        @Override
        public HealthTally withCounts(HealthTally labels, ServiceHealthCounts counts) {
            HealthTally tally =
                    new HealthTally(
                            labels.modelVersion,
                            labels.userSegment,
                            labels.windowStart,
                            labels.windowEnd,
                            counts);
            tally.sourceSlice = sliceKey(labels);
            return tally;
        }
    }
}
