package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.model.AbstractAccumulatorCodec;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.model.SliceAccumulator;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalDouble;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The recommendation-quality state of one slice and window, of fixed size whatever the traffic: a
 * distinct-count sketch of the items recommended (HyperLogLog, for coverage), a frequent-items
 * sketch of item exposures (for popularity bias and novelty), and sums for diversity and reference
 * novelty. Two sketches of the same window merge, so fine slices roll up into coarse ones.
 *
 * <p>Sizes: HLL_4 at lgK = {@value #LG_K} (relative standard error 1.04 / sqrt(2^12) = 1.6 %, at
 * most about 2.6 KB serialized); frequent items with a map of {@value #MAX_MAP_SIZE} slots (at most
 * 768 items tracked, every count within 3.5 / 1024 of the exposures of the window). State and
 * records use {@link Codec}, the sketches' compact byte form, never Kryo.
 *
 * <p>The exposure reference that novelty is scored against is not part of the sketch: whoever adds
 * a response gives it ({@link #add(PredictionEvent, ExposureReference)}; the sliced metric's count,
 * see {@link RecommendationQualityMetric}), and the sketch keeps only the sums. So its state and
 * its codec carry no reference (which can be megabytes, and which a restored sketch would otherwise
 * keep from the run that wrote it), and a restored sketch goes on with the current run's.
 */
public final class RecommendationSketch
        implements SliceAccumulator<PredictionEvent, RecommendationSketch> {
    /** log2 of the HLL's buckets. */
    public static final int LG_K = 12;

    /** Slots of the frequent-items map (a power of two). */
    public static final int MAX_MAP_SIZE = 1024;

    private static final ArrayOfStringsSerDe STRINGS = new ArrayOfStringsSerDe();

    /** Format 2 added the sum of squared diversities; format 1 reads with it unknown (NaN). */
    private static final int FORMAT = 2;

    private static final int FORMAT_WITHOUT_SQUARES = 1;

    private HllSketch distinctItems;
    private ItemsSketch<String> exposure;

    /** Responses with at least one recommendation. */
    private long responses;

    /** Sum of intra-list diversity over the responses that have one. */
    private double diversitySum;

    private long diversityResponses;

    /** Sum of squared intra-list diversity; NaN when a part came from format 1. */
    private double diversitySquares;

    /** Sum of -log2(reference share) over recommended items, when a reference is given. */
    private double referenceNoveltySum;

    private long referenceNoveltyItems;

    /** An empty sketch. */
    public RecommendationSketch() {
        this(new HllSketch(LG_K, TgtHllType.HLL_4), new ItemsSketch<>(MAX_MAP_SIZE));
    }

    private RecommendationSketch(HllSketch distinctItems, ItemsSketch<String> exposure) {
        this.distinctItems = distinctItems;
        this.exposure = exposure;
    }

    /** Adds one response without a reference: no reference novelty is scored. */
    @Override
    public void add(PredictionEvent prediction) {
        add(prediction, null);
    }

    /** Adds one response; with a {@code reference}, its items' novelty against it. */
    public RecommendationSketch add(PredictionEvent prediction, ExposureReference reference) {
        if (prediction.recommendations.isEmpty()) {
            return this;
        }
        responses++;
        for (RecommendedItem item : prediction.recommendations) {
            if (item == null || item.itemId == null) {
                continue;
            }
            distinctItems.update(item.itemId);
            exposure.update(item.itemId);
            if (reference != null) {
                double share = reference.share(item.itemId);
                if (share > 0 && share <= 1) {
                    referenceNoveltySum -= Math.log(share) / Math.log(2);
                    referenceNoveltyItems++;
                }
            }
        }
        OptionalDouble diversity = ListDiversity.of(prediction.recommendations);
        if (diversity.isPresent()) {
            double d = diversity.getAsDouble();
            diversitySum += d;
            diversitySquares += d * d;
            diversityResponses++;
        }
        return this;
    }

    /** Adds {@code other} (of the same window) into this one; {@code other} is unchanged. */
    @Override
    public RecommendationSketch merge(RecommendationSketch other) {
        Union union = new Union(LG_K);
        union.update(distinctItems);
        union.update(other.distinctItems);
        distinctItems = union.getResult(TgtHllType.HLL_4);
        exposure.merge(other.exposure);
        responses += other.responses;
        diversitySum += other.diversitySum;
        diversityResponses += other.diversityResponses;
        diversitySquares += other.diversitySquares;
        referenceNoveltySum += other.referenceNoveltySum;
        referenceNoveltyItems += other.referenceNoveltyItems;
        return this;
    }

    public long responses() {
        return responses;
    }

    /** Recommended item slots (exposures) counted. */
    public long exposures() {
        return exposure.getStreamLength();
    }

    /** Estimated distinct items recommended. */
    public double distinctItems() {
        return distinctItems.getEstimate();
    }

    /** The frequent-items sketch of exposures, read only. */
    ItemsSketch<String> exposureSketch() {
        return exposure;
    }

    /** Estimated exposure per item. */
    public ExposureDistribution exposureDistribution() {
        return ExposureDistribution.estimate(exposure, distinctItems());
    }

    /** Mean intra-list diversity of the responses; empty when none had two categorised items. */
    public OptionalDouble meanDiversity() {
        return diversityResponses == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(diversitySum / diversityResponses);
    }

    /** Responses with a diversity: the samples of {@link #meanDiversity()}. */
    public long diversityResponses() {
        return diversityResponses;
    }

    /**
     * Sample standard deviation (n - 1) of the responses' diversity; NaN with fewer than two or
     * when part of the sketch was restored from format 1.
     */
    public double diversityStdDev() {
        long n = diversityResponses;
        if (n < 2) {
            return Double.NaN;
        }
        double variance = (diversitySquares - diversitySum * diversitySum / n) / (n - 1);
        return Math.sqrt(Math.max(0, variance));
    }

    /** Mean novelty against the reference given to {@link #add}; empty without one. */
    public OptionalDouble meanReferenceNovelty() {
        return referenceNoveltyItems == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(referenceNoveltySum / referenceNoveltyItems);
    }

    /** The compact byte form: counters, then the two sketches' own compact serializations. */
    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeLong(responses);
            out.writeDouble(diversitySum);
            out.writeLong(diversityResponses);
            out.writeDouble(referenceNoveltySum);
            out.writeLong(referenceNoveltyItems);
            out.writeDouble(diversitySquares);
            byte[] hll = distinctItems.toCompactByteArray();
            out.writeInt(hll.length);
            out.write(hll);
            byte[] items = exposure.toByteArray(STRINGS);
            out.writeInt(items.length);
            out.write(items);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@link #toBytes()}. */
    public static RecommendationSketch fromBytes(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
            int format = in.readByte();
            if (format != FORMAT && format != FORMAT_WITHOUT_SQUARES) {
                throw new IOException("Unknown RecommendationSketch format " + format);
            }
            long responses = in.readLong();
            double diversitySum = in.readDouble();
            long diversityResponses = in.readLong();
            double noveltySum = in.readDouble();
            long noveltyItems = in.readLong();
            double diversitySquares =
                    format == FORMAT_WITHOUT_SQUARES ? Double.NaN : in.readDouble();
            byte[] hll = new byte[in.readInt()];
            in.readFully(hll);
            byte[] items = new byte[in.readInt()];
            in.readFully(items);
            RecommendationSketch sketch =
                    new RecommendationSketch(
                            HllSketch.heapify(hll),
                            ItemsSketch.getInstance(Memory.wrap(items), STRINGS));
            sketch.responses = responses;
            sketch.diversitySum = diversitySum;
            sketch.diversityResponses = diversityResponses;
            sketch.referenceNoveltySum = noveltySum;
            sketch.referenceNoveltyItems = noveltyItems;
            sketch.diversitySquares = diversitySquares;
            return sketch;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deep copy. */
    @Override
    public RecommendationSketch copy() {
        return fromBytes(toBytes());
    }

    /**
     * Version 1: the length of {@link #toBytes()}, then those bytes (the form of earlier releases,
     * whose own format byte tells its formats apart). Stateless: a sketch holds no exposure
     * reference. Codecs of the release before this one held one in a field, which Java
     * serialization reads from their savepoints' serializer snapshots and drops (the
     * serialVersionUID is the same), so that their state restores as it is.
     */
    public static final class Codec extends AbstractAccumulatorCodec<RecommendationSketch> {
        private static final long serialVersionUID = 1L;

        @Override
        public int version() {
            return 1;
        }

        @Override
        public RecommendationSketch create() {
            return new RecommendationSketch();
        }

        @Override
        public void write(RecommendationSketch value, DataOutputView out) throws IOException {
            byte[] bytes = value.toBytes();
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        @Override
        protected RecommendationSketch readVersion(int version, DataInputView in)
                throws IOException {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return fromBytes(bytes);
        }
    }
}
