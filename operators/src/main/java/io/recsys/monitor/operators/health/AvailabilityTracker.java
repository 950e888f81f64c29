package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.HealthTally;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the {@link AvailabilityWindows} of one slice (keyed by its {@link TrafficSlice#key}) in
 * Flink state and emits {@code Availability} (Percent) with every health window of the slice. The
 * state per slice is the ring ({@code span} bytes) and one long.
 */
public class AvailabilityTracker extends KeyedProcessFunction<String, HealthTally, MetricPoint> {
    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final int span;
    private final double maxErrorRatePercent;

    private transient ValueState<byte[]> ring;
    private transient ValueState<Long> newestWindow;

    public AvailabilityTracker(String namespace, int span, double maxErrorRatePercent) {
        this.namespace = namespace;
        this.span = span;
        this.maxErrorRatePercent = maxErrorRatePercent;
    }

    @Override
    public void open(Configuration parameters) {
        ring =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "availability-ring",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        newestWindow =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("newest-window", Types.LONG));
    }

    @Override
    public void processElement(HealthTally tally, Context ctx, Collector<MetricPoint> out)
            throws Exception {
        byte[] stored = ring.value();
        AvailabilityWindows windows =
                stored == null || stored.length != span
                        ? new AvailabilityWindows(span)
                        : new AvailabilityWindows(stored, newestWindow.value());
        long period = tally.windowEnd - tally.windowStart;
        windows.record(
                Math.floorDiv(tally.windowEnd, period),
                ServiceHealthMetrics.isAvailable(tally.counts, maxErrorRatePercent));
        ring.update(windows.ring());
        newestWindow.update(windows.newestWindow());
        double availability = windows.availabilityPercent();
        if (!Double.isNaN(availability)) {
            out.collect(
                    new MetricPoint(
                            namespace,
                            MetricNames.AVAILABILITY,
                            TrafficSlice.dimensions(tally.modelVersion, tally.userSegment),
                            availability,
                            "Percent",
                            tally.windowStart,
                            tally.windowEnd));
        }
    }
}
