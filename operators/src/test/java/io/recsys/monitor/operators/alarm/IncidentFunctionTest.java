package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.model.Alert;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The second stage in a test harness: transitions wait for the watermark, or the wall clock. */
class IncidentFunctionTest {
    private static final long HOUR = 3_600_000L;
    private static final long GRACE = 15 * 60_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness(long grace)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new IncidentFunction(new AlarmCoordinator(AlarmCatalog.defaults()), grace)),
                IncidentFunction::key,
                Types.STRING);
    }

    private static StreamRecord<Alert> volumeCritical(long time) {
        Map<String, String> dims = Map.of("Stream", "predictions");
        Alert a = new Alert();
        a.alarmName = "recommendation-event-volume-low";
        a.metric = "EventVolume";
        a.dimensions = new TreeMap<>(dims);
        a.previousState = "OK";
        a.state = "ALARM";
        a.severity = "critical";
        a.notification = "raised";
        a.time = time;
        a.deduplicationKey = AlarmEvaluator.deduplicationKey(a.alarmName, a.metric, dims);
        return new StreamRecord<>(a, time);
    }

    @Test
    void transitionsWaitForTheWatermarkOfTheirTime() throws Exception {
        try (var h = harness(0)) {
            h.open();
            h.processElement(volumeCritical(2 * HOUR));
            h.setProcessingTime(10 * HOUR);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(2 * HOUR);
            assertThat(h.extractOutputValues()).extracting(a -> a.state).containsExactly("ALARM");
        }
    }

    @Test
    void theWallClockReleasesTransitionsWhenTheWatermarkStalls() throws Exception {
        try (var h = harness(GRACE)) {
            h.open();
            h.setProcessingTime(2 * HOUR);
            h.processWatermark(HOUR);
            h.processElement(volumeCritical(2 * HOUR));
            h.setProcessingTime(2 * HOUR + GRACE - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(2 * HOUR + GRACE);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.state).isEqualTo("ALARM");
                                assertThat(a.time).isEqualTo(2 * HOUR);
                            });
            // The watermark catching up later does not publish it twice.
            h.processWatermark(3 * HOUR);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }
}
