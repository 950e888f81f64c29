package io.recsys.monitor.model;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the service-health metrics of one window and slice are computed from: requests, failed
 * requests, failed requests per error type (at most {@link #maxErrorTypes} types, the rest under
 * {@link #OTHER}) and a {@link LatencySketch}. Its size is fixed by the sketch and the type cap,
 * never by the traffic, and two of them merge into the counts of the union of their requests.
 *
 * <p>State and records use {@link Codec}: counters as numbers and the sketch as its compact
 * DataSketches bytes, never Kryo.
 */
public final class ServiceHealthCounts
        implements SliceAccumulator<PredictionEvent, ServiceHealthCounts> {
    /** The error type of failed requests beyond the cap. */
    public static final String OTHER = "other";

    /** The error type of failed requests that named none. */
    public static final String UNKNOWN = "unknown";

    /** The default of {@code metrics.max-error-types}. */
    public static final int DEFAULT_MAX_ERROR_TYPES = 20;

    /** How many error types are kept apart, {@link #OTHER} included. */
    public final int maxErrorTypes;

    public long requests;
    public long errors;
    public final TreeMap<String, Long> errorsByType = new TreeMap<>();
    public LatencySketch latency = new LatencySketch();

    /** Empty counts that keep at most {@code maxErrorTypes} error types apart. */
    public ServiceHealthCounts(int maxErrorTypes) {
        if (maxErrorTypes < 1) {
            throw new IllegalArgumentException("maxErrorTypes must be positive");
        }
        this.maxErrorTypes = maxErrorTypes;
    }

    /** Counts one response. */
    @Override
    public void add(PredictionEvent prediction) {
        requests++;
        latency.update(prediction.latencyMs);
        if (prediction.error) {
            errors++;
            String type = prediction.errorType == null ? UNKNOWN : prediction.errorType;
            countError(type, 1);
        }
    }

    /** Adds {@code other} into this, under this one's cap. */
    @Override
    public ServiceHealthCounts merge(ServiceHealthCounts other) {
        requests += other.requests;
        errors += other.errors;
        for (Map.Entry<String, Long> e : other.errorsByType.entrySet()) {
            countError(e.getKey(), e.getValue());
        }
        latency.merge(other.latency);
        return this;
    }

    /** A copy with its own sketch, copied through its bytes (exact). */
    @Override
    public ServiceHealthCounts copy() {
        ServiceHealthCounts copy = new ServiceHealthCounts(maxErrorTypes);
        copy.requests = requests;
        copy.errors = errors;
        copy.errorsByType.putAll(errorsByType);
        copy.latency = LatencySketch.fromByteArray(latency.toByteArray());
        return copy;
    }

    private void countError(String type, long count) {
        // "other" takes one of the slots, so the cap bounds the map including it.
        String key =
                errorsByType.containsKey(type) || errorsByType.size() < maxErrorTypes - 1
                        ? type
                        : OTHER;
        errorsByType.merge(key, count, Long::sum);
    }

    @Override
    public String toString() {
        return "ServiceHealthCounts{requests="
                + requests
                + ", errors="
                + errors
                + ", byType="
                + errorsByType
                + ", latencies="
                + latency.count()
                + "}";
    }

    /**
     * Version 1: requests, errors, error counts by type, sketch length and bytes (the form of
     * earlier releases). The cap is the codec's, not written.
     */
    public static final class Codec extends AbstractAccumulatorCodec<ServiceHealthCounts> {
        private static final long serialVersionUID = 1L;

        private final int maxErrorTypes;

        public Codec(int maxErrorTypes) {
            this.maxErrorTypes = maxErrorTypes;
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public ServiceHealthCounts create() {
            return new ServiceHealthCounts(maxErrorTypes);
        }

        @Override
        public void write(ServiceHealthCounts value, DataOutputView out) throws IOException {
            out.writeLong(value.requests);
            out.writeLong(value.errors);
            CompactTypeInfo.Serializer.writeCounts(value.errorsByType, out);
            byte[] sketch = value.latency.toByteArray();
            out.writeInt(sketch.length);
            out.write(sketch);
        }

        @Override
        protected ServiceHealthCounts readVersion(int version, DataInputView in)
                throws IOException {
            ServiceHealthCounts value = create();
            value.requests = in.readLong();
            value.errors = in.readLong();
            value.errorsByType.putAll(CompactTypeInfo.Serializer.readCounts(in));
            byte[] sketch = new byte[in.readInt()];
            in.readFully(sketch);
            value.latency = LatencySketch.fromByteArray(sketch);
            return value;
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof Codec && ((Codec) obj).maxErrorTypes == maxErrorTypes;
        }

        @Override
        public int hashCode() {
            return maxErrorTypes;
        }
    }

    /**
     * The snapshot class that savepoints of earlier releases name for these counts (it wrote no
     * configuration): it restores the version-1 codec, so that their state resolves against {@link
     * AccumulatorTypeInfo} as it is. Restored counts keep the default cap until they merge into
     * counts of the configured one.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ServiceHealthCounts> {
        public Snapshot() {
            super(
                    () ->
                            new AccumulatorTypeInfo.Serializer<>(
                                    new Codec(DEFAULT_MAX_ERROR_TYPES), 1));
        }
    }
}
