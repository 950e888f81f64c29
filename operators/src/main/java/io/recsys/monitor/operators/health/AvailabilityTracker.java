package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the {@link AvailabilityWindows} of one slice (keyed by its {@link TrafficSlice#key}) in
 * Flink state and emits {@code Availability} (Percent) with every health window of the slice, with
 * the windows with traffic in its span as its samples. A window that comes again, corrected by late
 * responses, replaces its earlier state in the ring (it is not counted twice), and the availability
 * of that window and of every later window already reported is emitted again, since each of their
 * spans holds it. The state per slice is the ring ({@code span} + {@code history} bytes) and one
 * long.
 */
public class AvailabilityTracker
        extends KeyedProcessFunction<String, SliceTally<ServiceHealthCounts>, MetricPoint> {
    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final int span;
    private final double maxErrorRatePercent;
    private final double confidence;
    private final int history;

    private transient ValueState<byte[]> ring;
    private transient ValueState<Long> newestWindow;

    /** A tracker that judges each window by its error rate's value, with no history. */
    public AvailabilityTracker(String namespace, int span, double maxErrorRatePercent) {
        this(namespace, span, maxErrorRatePercent, 0, 0);
    }

    /**
     * @param confidence of the Wilson interval a window's error rate must reach the threshold with
     *     to count as unavailable; 0 judges by the value ({@link ServiceHealthMetrics#isAvailable})
     * @param history how many windows before the newest one a correction may still reach: the
     *     health windows' allowed lateness in windows
     */
    public AvailabilityTracker(
            String namespace,
            int span,
            double maxErrorRatePercent,
            double confidence,
            int history) {
        if (history < 0) {
            throw new IllegalArgumentException("history must not be negative");
        }
        if (!(confidence == 0 || (confidence > 0 && confidence < 1))) {
            throw new IllegalArgumentException("confidence must be 0 or lie in (0, 1)");
        }
        this.namespace = namespace;
        this.span = span;
        this.maxErrorRatePercent = maxErrorRatePercent;
        this.confidence = confidence;
        this.history = history;
    }

    @Override
    public void open(OpenContext openContext) {
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
    public void processElement(
            SliceTally<ServiceHealthCounts> tally, Context ctx, Collector<MetricPoint> out)
            throws Exception {
        byte[] stored = ring.value();
        Long newest = newestWindow.value();
        // A ring of an earlier length (no history) is carried over window by window.
        AvailabilityWindows windows =
                stored == null || newest == null
                        ? new AvailabilityWindows(span, history)
                        : new AvailabilityWindows(span, history, stored, newest);
        long period = tally.windowEnd - tally.windowStart;
        long window = Math.floorDiv(tally.windowEnd, period);
        if (!windows.record(
                window,
                ServiceHealthMetrics.isAvailable(
                        tally.accumulator, maxErrorRatePercent, confidence))) {
            return;
        }
        ring.update(windows.ring());
        newestWindow.update(windows.newestWindow());
        // A corrected window changes the availability of the windows whose span holds it, and no
        // other: those are emitted again, the ones after them are not.
        long last = Math.min(windows.newestWindow(), window + span - 1);
        for (long w = window; w <= last; w++) {
            double availability = windows.availabilityPercent(w);
            if (windows.hadTraffic(w) && !Double.isNaN(availability)) {
                out.collect(
                        new MetricPoint(
                                        namespace,
                                        MetricNames.AVAILABILITY,
                                        TrafficSlice.dimensions(tally.slice),
                                        availability,
                                        "Percent",
                                        (w - 1) * period,
                                        w * period)
                                .withEvidence(windows.windowsWithTraffic(w), Double.NaN));
            }
        }
    }
}
