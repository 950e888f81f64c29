package io.recsys.monitor.sinks.cloudwatch;

import io.recsys.monitor.model.MetricPoint;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Turns a {@link MetricPoint} into the datum the sink buffers: its namespace (or the sink's default
 * when the point has none), the dimensions the {@link DimensionPolicy} lets through, the unit as a
 * CloudWatch {@link StandardUnit} ({@code None}, with a warning, for a unit CloudWatch does not
 * know), the window end as timestamp, and the sink's storage resolution.
 *
 * <p>It does not reject anything: a datum CloudWatch would refuse (a NaN value) is checked by the
 * writer, which dead-letters or fails according to {@link InvalidDataPolicy}.
 */
public final class MetricPointConverter implements ElementConverter<MetricPoint, MetricDatumEntry> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricPointConverter.class);

    static final String DIMENSION_VALUES_FOLDED = "cloudwatchDimensionValuesFolded";

    private final String defaultNamespace;
    private final int storageResolution;
    private final DimensionPolicy dimensionPolicy;

    // Per writer: created in open (or on first use when a test skips open).
    private transient DimensionPolicy.Limiter limiter;
    private transient Counter foldedCounter;
    private transient Set<String> unknownUnitsLogged;

    public MetricPointConverter(
            String defaultNamespace, int storageResolution, DimensionPolicy dimensionPolicy) {
        this.defaultNamespace = Objects.requireNonNull(defaultNamespace, "defaultNamespace");
        this.storageResolution = storageResolution;
        this.dimensionPolicy = Objects.requireNonNull(dimensionPolicy, "dimensionPolicy");
    }

    @Override
    @SuppressWarnings("deprecation") // Flink 1.20's ElementConverter still opens with InitContext.
    public void open(Sink.InitContext context) {
        limiter = dimensionPolicy.newLimiter();
        foldedCounter = context.metricGroup().counter(DIMENSION_VALUES_FOLDED);
        unknownUnitsLogged = new HashSet<>();
    }

    @Override
    public MetricDatumEntry apply(MetricPoint point, SinkWriter.Context context) {
        if (limiter == null) {
            limiter = dimensionPolicy.newLimiter();
            foldedCounter = new SimpleCounter();
            unknownUnitsLogged = new HashSet<>();
        }
        String namespace =
                point.namespace == null || point.namespace.isEmpty()
                        ? defaultNamespace
                        : point.namespace;
        TreeMap<String, String> dimensions = new TreeMap<>();
        if (point.dimensions != null) {
            int folded = limiter.apply(namespace, point.metric, point.dimensions, dimensions);
            if (folded > 0) {
                foldedCounter.inc(folded);
            }
        }
        return new MetricDatumEntry(
                namespace,
                point.metric,
                dimensions,
                point.value,
                unit(point.unit).toString(),
                point.timestamp,
                storageResolution);
    }

    /** The CloudWatch unit named {@code name}; {@code None} for null or an unknown name. */
    StandardUnit unit(String name) {
        StandardUnit unit = standardUnit(name);
        if (unit == StandardUnit.NONE
                && name != null
                && !name.equals(StandardUnit.NONE.toString())
                && unknownUnitsLogged.add(name)) {
            LOG.warn(
                    "event=cloudwatch_unknown_unit unit=\"{}\" sent_as=None: CloudWatch does not"
                            + " know this unit",
                    name);
        }
        return unit;
    }

    /** {@link StandardUnit#fromValue}, with {@code None} where the SDK knows no such unit. */
    public static StandardUnit standardUnit(String name) {
        if (name == null) {
            return StandardUnit.NONE;
        }
        StandardUnit unit = StandardUnit.fromValue(name);
        return unit == null || unit == StandardUnit.UNKNOWN_TO_SDK_VERSION
                ? StandardUnit.NONE
                : unit;
    }

    public String defaultNamespace() {
        return defaultNamespace;
    }

    public int storageResolution() {
        return storageResolution;
    }

    public DimensionPolicy dimensionPolicy() {
        return dimensionPolicy;
    }
}
