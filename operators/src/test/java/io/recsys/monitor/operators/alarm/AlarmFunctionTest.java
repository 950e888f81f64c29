package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import java.util.Collections;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AlarmFunctionTest {
    private static final long HOUR = 3_600_000L;

    /** A harness not yet opened, so that state can be restored into it first. */
    private static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Alert> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new AlarmFunction(
                                Collections.singletonList(MonitorConfig.defaults().lowCtrAlarm()))),
                MetricPoint::seriesKey,
                Types.STRING);
    }

    private static StreamRecord<MetricPoint> point(
            String metric, Map<String, String> dims, int hour, double value) {
        MetricPoint p =
                new MetricPoint(
                        "RecommendationSystem",
                        metric,
                        dims,
                        value,
                        "Percent",
                        (hour - 1) * HOUR,
                        hour * HOUR);
        return new StreamRecord<>(p, p.timestamp);
    }

    @Test
    void raisedAlarmIsStateAndDoesNotAlertAgainAfterRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(point("CTR", Map.of(), 1, 1.0));
            h.processElement(point("CTR", Map.of(), 2, 1.0));
            h.processElement(point("CTR", Map.of(), 3, 1.0));
            assertThat(h.extractOutputValues()).hasSize(1);
            // One state entry: the low-CTR alarm of the overall CTR series.
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            snapshot = h.snapshot(1L, 3 * HOUR);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(point("CTR", Map.of(), 4, 1.0));
            assertThat(restored.extractOutputValues()).as("still in ALARM: no new alert").isEmpty();
            restored.processElement(point("CTR", Map.of(), 5, 3.0));
            assertThat(restored.extractOutputValues())
                    .extracting(a -> a.state)
                    .containsExactly("OK");
        }
    }

    @Test
    void onlyWatchedSeriesHoldState() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(point("ConversionRate", Map.of(), 1, 0.1));
            h.processElement(
                    point("CTR", Map.of("ModelVersion", "v1", "UserSegment", "new"), 1, 0.1));
            assertThat(h.numKeyedStateEntries()).isZero();
            h.processElement(point("CTR", Map.of("ModelVersion", "v1"), 1, 0.1));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
