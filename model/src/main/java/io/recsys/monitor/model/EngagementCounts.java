package io.recsys.monitor.model;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Funnel counts of one window and one slice of traffic. It is the accumulator of the engagement
 * windows and merges by addition, so that fine slices (model version and segment) roll up into
 * coarse ones (model version, overall) without re-reading events.
 *
 * <p>Per-rank counters cover ranks 1 to {@link #RANKS}: CTR by position is about the top of the
 * list, and a fixed size keeps the accumulator's size independent of the traffic. The ranking
 * quality of responses is kept as sums, so that the window's averages are sums over counts.
 *
 * <p>State and records use {@link Codec}. The class keeps the shape of a POJO (public fields, a
 * constructor without arguments) because earlier releases kept it in state with Flink's POJO
 * serializer, which reads that state back on restore before the codec rewrites it.
 */
public class EngagementCounts implements SliceAccumulator<EngagementSignal, EngagementCounts> {
    /** Ranks with their own counters. */
    public static final int RANKS = 10;

    public long responses;
    public long itemsServed;
    public long impressions;
    public long clicks;
    public long addToCarts;
    public long purchases;
    public double revenue;

    /**
     * Sum of the squared order values of the purchases counted in {@link
     * #orderValuesInSumOfSquares}, for the standard deviation of the average order value.
     */
    public double orderValueSumOfSquares;

    /**
     * Purchases whose order value is in {@link #orderValueSumOfSquares}: equal to {@link
     * #purchases} unless the counts were restored from state written before the sum of squares
     * existed, when the standard deviation is unknown.
     */
    public long orderValuesInSumOfSquares;

    public long unattributed;

    /** Index r - 1: responses that had an item at rank r. */
    public long[] servedAtRank = new long[RANKS];

    /** Index r - 1: impressions of items at rank r. */
    public long[] impressionsAtRank = new long[RANKS];

    /** Index r - 1: clicks on items at rank r. */
    public long[] clicksAtRank = new long[RANKS];

    /** Responses whose ranking quality was measured, and the sums of their measures. */
    public long rankedResponses;

    public double precisionAt10Sum;
    public double recallAt10Sum;
    public double ndcgAt10Sum;
    public double reciprocalRankSum;

    public EngagementCounts() {}

    /** Counts one signal. */
    @Override
    public void add(EngagementSignal signal) {
        switch (signal.kind) {
            case SERVED:
                responses++;
                itemsServed += signal.itemsServed;
                for (int r = 0; r < Math.min(RANKS, signal.itemsServed); r++) {
                    servedAtRank[r]++;
                }
                break;
            case IMPRESSION:
                impressions++;
                if (hasRankCounter(signal.rank)) {
                    impressionsAtRank[signal.rank - 1]++;
                }
                break;
            case CLICK:
                clicks++;
                if (hasRankCounter(signal.rank)) {
                    clicksAtRank[signal.rank - 1]++;
                }
                break;
            case ADD_TO_CART:
                addToCarts++;
                break;
            case PURCHASE:
                purchases++;
                revenue += signal.orderValue;
                orderValueSumOfSquares += signal.orderValue * signal.orderValue;
                orderValuesInSumOfSquares++;
                break;
            case UNATTRIBUTED:
                unattributed++;
                break;
            case RANKED:
                if (signal.ranking != null) {
                    rankedResponses++;
                    precisionAt10Sum += signal.ranking.precisionAt10;
                    recallAt10Sum += signal.ranking.recallAt10;
                    ndcgAt10Sum += signal.ranking.ndcgAt10;
                    reciprocalRankSum += signal.ranking.reciprocalRank;
                }
                break;
            default:
                throw new IllegalStateException("Unhandled signal kind " + signal.kind);
        }
    }

    private static boolean hasRankCounter(int rank) {
        return rank >= 1 && rank <= RANKS;
    }

    /** Adds {@code other} into this one. */
    @Override
    public EngagementCounts merge(EngagementCounts other) {
        responses += other.responses;
        itemsServed += other.itemsServed;
        impressions += other.impressions;
        clicks += other.clicks;
        addToCarts += other.addToCarts;
        purchases += other.purchases;
        revenue += other.revenue;
        orderValueSumOfSquares += other.orderValueSumOfSquares;
        orderValuesInSumOfSquares += other.orderValuesInSumOfSquares;
        unattributed += other.unattributed;
        addInto(servedAtRank, other.servedAtRank);
        addInto(impressionsAtRank, other.impressionsAtRank);
        addInto(clicksAtRank, other.clicksAtRank);
        rankedResponses += other.rankedResponses;
        precisionAt10Sum += other.precisionAt10Sum;
        recallAt10Sum += other.recallAt10Sum;
        ndcgAt10Sum += other.ndcgAt10Sum;
        reciprocalRankSum += other.reciprocalRankSum;
        return this;
    }

    private static void addInto(long[] target, long[] source) {
        if (source == null) {
            return;
        }
        for (int i = 0; i < Math.min(target.length, source.length); i++) {
            target[i] += source[i];
        }
    }

    @Override
    public EngagementCounts copy() {
        return new EngagementCounts().merge(this);
    }

    /**
     * Version 1: the counters, the sums and the three per-rank arrays ({@link #RANKS} each), in the
     * order of the fields.
     */
    public static final class Codec extends AbstractAccumulatorCodec<EngagementCounts> {
        private static final long serialVersionUID = 1L;

        @Override
        public int version() {
            return 1;
        }

        @Override
        public EngagementCounts create() {
            return new EngagementCounts();
        }

        @Override
        public void write(EngagementCounts c, DataOutputView out) throws IOException {
            out.writeLong(c.responses);
            out.writeLong(c.itemsServed);
            out.writeLong(c.impressions);
            out.writeLong(c.clicks);
            out.writeLong(c.addToCarts);
            out.writeLong(c.purchases);
            out.writeDouble(c.revenue);
            out.writeDouble(c.orderValueSumOfSquares);
            out.writeLong(c.orderValuesInSumOfSquares);
            out.writeLong(c.unattributed);
            writeRanks(c.servedAtRank, out);
            writeRanks(c.impressionsAtRank, out);
            writeRanks(c.clicksAtRank, out);
            out.writeLong(c.rankedResponses);
            out.writeDouble(c.precisionAt10Sum);
            out.writeDouble(c.recallAt10Sum);
            out.writeDouble(c.ndcgAt10Sum);
            out.writeDouble(c.reciprocalRankSum);
        }

        @Override
        protected EngagementCounts readVersion(int version, DataInputView in) throws IOException {
            EngagementCounts c = new EngagementCounts();
            c.responses = in.readLong();
            c.itemsServed = in.readLong();
            c.impressions = in.readLong();
            c.clicks = in.readLong();
            c.addToCarts = in.readLong();
            c.purchases = in.readLong();
            c.revenue = in.readDouble();
            c.orderValueSumOfSquares = in.readDouble();
            c.orderValuesInSumOfSquares = in.readLong();
            c.unattributed = in.readLong();
            readRanks(c.servedAtRank, in);
            readRanks(c.impressionsAtRank, in);
            readRanks(c.clicksAtRank, in);
            c.rankedResponses = in.readLong();
            c.precisionAt10Sum = in.readDouble();
            c.recallAt10Sum = in.readDouble();
            c.ndcgAt10Sum = in.readDouble();
            c.reciprocalRankSum = in.readDouble();
            return c;
        }

        /** Exactly {@link #RANKS} counters; state restored from older releases may lack one. */
        private static void writeRanks(long[] counts, DataOutputView out) throws IOException {
            for (int r = 0; r < RANKS; r++) {
                out.writeLong(counts != null && r < counts.length ? counts[r] : 0);
            }
        }

        private static void readRanks(long[] counts, DataInputView in) throws IOException {
            for (int r = 0; r < RANKS; r++) {
                counts[r] = in.readLong();
            }
        }
    }

    @Override
    public String toString() {
        return "EngagementCounts{responses="
                + responses
                + ", itemsServed="
                + itemsServed
                + ", impressions="
                + impressions
                + ", clicks="
                + clicks
                + ", addToCarts="
                + addToCarts
                + ", purchases="
                + purchases
                + ", revenue="
                + revenue
                + ", unattributed="
                + unattributed
                + ", rankedResponses="
                + rankedResponses
                + "}";
    }
}
