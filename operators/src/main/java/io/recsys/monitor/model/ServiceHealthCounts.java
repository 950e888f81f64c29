package io.recsys.monitor.model;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the service-health metrics of one window and slice are computed from: requests, failed
 * requests, failed requests per error type (at most a configured number of types, the rest under
 * {@link #OTHER}) and a {@link LatencySketch}. Its size is fixed by the sketch and the type cap,
 * never by the traffic, and two of them merge into the counts of the union of their requests.
 *
 * <p>State and records use {@link Serializer}: counters as numbers and the sketch as its compact
 * DataSketches bytes, never Kryo.
 */
@TypeInfo(ServiceHealthCounts.Factory.class)
public final class ServiceHealthCounts {
    /** The error type of failed requests beyond the cap. */
    public static final String OTHER = "other";

    /** The error type of failed requests that named none. */
    public static final String UNKNOWN = "unknown";

    public long requests;
    public long errors;
    public final TreeMap<String, Long> errorsByType = new TreeMap<>();
    public LatencySketch latency = new LatencySketch();

    /** Counts one response; at most {@code maxErrorTypes} types are kept apart. */
    public void add(PredictionEvent prediction, int maxErrorTypes) {
        requests++;
        latency.update(prediction.latencyMs);
        if (prediction.error) {
            errors++;
            String type = prediction.errorType == null ? UNKNOWN : prediction.errorType;
            countError(type, 1, maxErrorTypes);
        }
    }

    /** Adds {@code other} into this, keeping at most {@code maxErrorTypes} types apart. */
    public ServiceHealthCounts merge(ServiceHealthCounts other, int maxErrorTypes) {
        requests += other.requests;
        errors += other.errors;
        for (Map.Entry<String, Long> e : other.errorsByType.entrySet()) {
            countError(e.getKey(), e.getValue(), maxErrorTypes);
        }
        latency.merge(other.latency);
        return this;
    }

    private void countError(String type, long count, int maxErrorTypes) {
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

    /** Hands Flink's type extractor the compact type information. */
    public static final class Factory extends TypeInfoFactory<ServiceHealthCounts> {
        @Override
        public TypeInformation<ServiceHealthCounts> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new CompactTypeInfo<>(ServiceHealthCounts.class, Serializer.INSTANCE);
        }
    }

    /** Format 1: requests, errors, error counts by type, sketch length and bytes. */
    public static final class Serializer extends CompactTypeInfo.Serializer<ServiceHealthCounts> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public ServiceHealthCounts createInstance() {
            return new ServiceHealthCounts();
        }

        @Override
        protected void write(ServiceHealthCounts value, DataOutputView out) throws IOException {
            out.writeLong(value.requests);
            out.writeLong(value.errors);
            writeCounts(value.errorsByType, out);
            byte[] sketch = value.latency.toByteArray();
            out.writeInt(sketch.length);
            out.write(sketch);
        }

        @Override
        protected ServiceHealthCounts read(DataInputView in) throws IOException {
            ServiceHealthCounts value = new ServiceHealthCounts();
            value.requests = in.readLong();
            value.errors = in.readLong();
            value.errorsByType.putAll(readCounts(in));
            byte[] sketch = new byte[in.readInt()];
            in.readFully(sketch);
            value.latency = LatencySketch.fromByteArray(sketch);
            return value;
        }

        @Override
        public TypeSerializerSnapshot<ServiceHealthCounts> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Restores {@link Serializer} from a savepoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ServiceHealthCounts> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
