package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.Comparison;
import io.recsys.monitor.config.AlarmDefinition.TreatMissingData;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The first stage in a test harness: timers at period ends, state per series, restore. */
class AlarmFunctionTest {
    private static final long HOUR = 3_600_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Alert> harness(
            List<AlarmDefinition> defs) throws Exception {
        return harness(defs, 0);
    }

    /** With a wall-clock grace, as for live sources. */
    private static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Alert> harness(
            List<AlarmDefinition> defs, long wallClockGrace) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlarmFunction(defs, 2 * HOUR, wallClockGrace)),
                MetricPoint::seriesKey,
                Types.STRING);
    }

    /** A harness not yet opened, so that state can be restored into it first. */
    private static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Alert> harness()
            throws Exception {
        return harness(Collections.singletonList(MonitorConfig.defaults().lowCtrAlarm()));
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
        // Window results carry the window's max timestamp, one ms before its end.
        return new StreamRecord<>(p, p.timestamp - 1);
    }

    private static List<String> news(List<Alert> alerts) {
        return alerts.stream()
                .filter(a -> !AlarmEvaluator.isQuiet(a.previousState, a.state))
                .map(a -> a.dimensions + " " + a.state + "/" + a.severity + "@" + a.time / HOUR)
                .collect(java.util.stream.Collectors.toList());
    }

    @Test
    void evaluatesInTimersAtPeriodEnds() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(point("CTR", Map.of(), 1, 1.0));
            // The point only adds to hour 1; its timer is the end of the hour.
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(HOUR);
            // Evaluated (1 breaching period of M = 3 changes nothing yet), and the timer of the
            // next period is set although no point of it has arrived.
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processElement(point("CTR", Map.of(), 2, 1.0));
            h.processWatermark(2 * HOUR);
            h.processElement(point("CTR", Map.of(), 3, 1.0));
            h.processWatermark(3 * HOUR);
            assertThat(news(h.extractOutputValues())).containsExactly("{} ALARM/critical@3");
        }
    }

    @Test
    void aPeriodWithoutDataIsEvaluatedByItsTimer() throws Exception {
        AlarmDefinition volume =
                AlarmDefinition.builder("volume", "EventVolume")
                        .dimensionSets(List.of("Stream"))
                        .comparison(Comparison.LESS_THAN)
                        .criticalThreshold(1)
                        .periodMillis(HOUR)
                        .treatMissingData(TreatMissingData.BREACHING)
                        .build();
        try (var h = harness(List.of(volume))) {
            h.open();
            h.processElement(point("EventVolume", Map.of("Stream", "predictions"), 1, 5000));
            h.processWatermark(HOUR);
            // No point in hour 2: the watermark passing its end is enough to raise the alarm.
            h.processWatermark(2 * HOUR);
            List<Alert> out = h.extractOutputValues();
            assertThat(news(out)).containsExactly("{Stream=predictions} ALARM/critical@2");
            assertThat(out.get(out.size() - 1).recentValues[0]).isNaN();
            // A critical alarm keeps its timer: it repeats after 2 h.
            h.processWatermark(4 * HOUR);
            assertThat(h.extractOutputValues().get(h.extractOutputValues().size() - 1).notification)
                    .isEqualTo("repeat");
            // Data returns: resolved.
            h.processElement(point("EventVolume", Map.of("Stream", "predictions"), 5, 4000));
            h.processWatermark(5 * HOUR);
            assertThat(h.extractOutputValues().get(h.extractOutputValues().size() - 1).state)
                    .isEqualTo("OK");
        }
    }

    @Test
    void theSeriesOfValuesFoldedIntoOtherIsNotWatched() throws Exception {
        AlarmDefinition errorRate =
                AlarmDefinition.builder("error-rate", "ErrorRate")
                        .dimensionSets(List.of("", "ModelVersion"))
                        .comparison(Comparison.GREATER_THAN)
                        .criticalThreshold(5)
                        .periodMillis(HOUR)
                        .build();
        try (var h = harness(List.of(errorRate))) {
            h.open();
            h.processElement(point("ErrorRate", Map.of("ModelVersion", "other"), 1, 50));
            h.processElement(point("ErrorRate", Map.of("ModelVersion", "v1"), 1, 50));
            // Only the kept version's series has state and a timer.
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(HOUR);
            assertThat(news(h.extractOutputValues()))
                    .containsExactly("{ModelVersion=v1} ALARM/critical@1");
        }
    }

    private static AlarmDefinition volumeAlarm() {
        return AlarmDefinition.builder("volume", "EventVolume")
                .statistic(AlarmDefinition.Statistic.SUM)
                .comparison(Comparison.LESS_THAN)
                .warningThreshold(1000)
                .criticalThreshold(1)
                .periodMillis(HOUR)
                .treatMissingData(TreatMissingData.BREACHING)
                .build();
    }

    @Test
    void periodsThatArriveBeforeTheWatermarkAreAllKept() throws Exception {
        try (var h = harness(List.of(volumeAlarm()))) {
            h.open();
            // A catch-up, or the end of a bounded input: four hourly windows fire at once, more
            // periods than the ring's usual N + 2 slots, before one of them is evaluated.
            double[] volumes = {20, 0, 2000, 20, 5000, 3000};
            for (int hour = 1; hour <= volumes.length; hour++) {
                h.processElement(point("EventVolume", Map.of(), hour, volumes[hour - 1]));
            }
            h.processWatermark(Long.MAX_VALUE);
            assertThat(news(h.extractOutputValues()))
                    .containsExactly(
                            "{} ALARM/warning@1",
                            "{} ALARM/critical@2",
                            "{} OK/critical@3",
                            "{} ALARM/warning@4",
                            "{} OK/warning@5");
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.recentValues[0])
                    .containsExactly(20.0, 0.0, 2000.0, 20.0, 5000.0);
        }
    }

    @Test
    void aStrayOldPointDoesNotReplayMonthsOfSilence() throws Exception {
        try (var h = harness(List.of(volumeAlarm()))) {
            h.open();
            // A clock-skewed event, months before the traffic, opens the series; then the real
            // traffic, and the watermark jumps there in one step.
            h.processElement(point("EventVolume", Map.of(), 1, 5000));
            h.processElement(point("EventVolume", Map.of(), 5000, 5000));
            h.processWatermark(5000 * HOUR);
            List<Alert> out = h.extractOutputValues();
            // Hour 2 is the first without events: critical; the silence of 5000 hours gives at
            // most one repeat (the 2 h interval would give 2500 of them, period by period).
            assertThat(news(out)).containsExactly("{} ALARM/critical@2", "{} OK/critical@5000");
            assertThat(out).filteredOn(a -> "repeat".equals(a.notification)).hasSizeLessThan(2);
        }
    }

    @Test
    void theRingShrinksBackOnceTheBacklogIsEvaluated() {
        AlarmDefinition d = volumeAlarm();
        AlarmState state = AlarmEvaluator.initialState(d);
        int normal = state.slotPeriod.length;
        for (int hour = 1; hour <= 40; hour++) {
            MetricPoint p = point("EventVolume", Map.of(), hour, 5000).getValue();
            assertThat(AlarmEvaluator.record(d, state, p)).isTrue();
        }
        assertThat(state.slotPeriod.length).isGreaterThanOrEqualTo(40);
        for (long period = 0; period < 40; period++) {
            assertThat(AlarmEvaluator.periodValue(d, state, period)).isEqualTo(5000.0);
            AlarmEvaluator.evaluate(d, state, period, HOUR, Map.of());
            AlarmEvaluator.compact(d, state);
        }
        assertThat(state.slotPeriod.length).isEqualTo(normal);
        assertThat(AlarmEvaluator.periodValue(d, state, 39)).isEqualTo(5000.0);
    }

    @Test
    void theWallClockEvaluatesPeriodsWhenTheWatermarkStalls() throws Exception {
        long grace = 15 * 60_000L;
        try (var h = harness(List.of(volumeAlarm()), grace)) {
            h.open();
            h.setProcessingTime(HOUR - 60_000L);
            h.processElement(point("EventVolume", Map.of(), 1, 5000));
            h.processWatermark(HOUR);
            assertThat(h.extractOutputValues()).extracting(a -> a.state).containsExactly("OK");
            // Every source goes silent: the watermark stays at 01:00 while the clock runs on.
            h.setProcessingTime(2 * HOUR + grace - 1);
            assertThat(h.extractOutputValues()).hasSize(1);
            h.setProcessingTime(2 * HOUR + grace);
            assertThat(news(h.extractOutputValues())).containsExactly("{} ALARM/critical@2");
            // A point of the period the wall clock evaluated comes too late to change it.
            h.processElement(point("EventVolume", Map.of(), 2, 5000));
            h.processWatermark(2 * HOUR);
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void aWatermarkFarBehindTheClockButMovingIsACatchUpNotAnOutage() throws Exception {
        long grace = 15 * 60_000L;
        try (var h = harness(List.of(volumeAlarm()), grace)) {
            h.open();
            // Reading a backlog from the stream's start: the clock is a day ahead of event time,
            // and the hourly points keep coming with the watermark behind them.
            long clock = 24 * HOUR;
            for (int hour = 1; hour <= 6; hour++) {
                h.setProcessingTime(clock);
                h.processElement(point("EventVolume", Map.of(), hour, 5000));
                h.processWatermark(hour * HOUR - 1);
                clock += 10 * 60_000L;
            }
            // The wall-clock timers of hours 1 to 5 are all due, yet none invents empty hours.
            assertThat(h.extractOutputValues()).extracting(a -> a.state).containsExactly("OK");
            assertThat(news(h.extractOutputValues())).isEmpty();
        }
    }

    @Test
    void withoutAGraceOnlyTheWatermarkEvaluates() throws Exception {
        try (var h = harness(List.of(volumeAlarm()))) {
            h.open();
            h.processElement(point("EventVolume", Map.of(), 1, 5000));
            h.processWatermark(HOUR);
            h.setProcessingTime(100 * HOUR);
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.extractOutputValues()).extracting(a -> a.state).containsExactly("OK");
        }
    }

    @Test
    void aSilentSeriesStopsItsTimersOnceSettled() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(point("CTR", Map.of(), 1, 3.0));
            h.processWatermark(HOUR);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // Silent for N = 3 periods: INSUFFICIENT_DATA, then nothing more to evaluate.
            h.processWatermark(10 * HOUR);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.state)
                    .containsExactly("OK", "INSUFFICIENT_DATA");
        }
    }

    @Test
    void theEndOfABoundedInputIsNotAnOutage() throws Exception {
        AlarmDefinition volume =
                AlarmDefinition.builder("volume", "EventVolume")
                        .comparison(Comparison.LESS_THAN)
                        .criticalThreshold(1)
                        .periodMillis(HOUR)
                        .treatMissingData(TreatMissingData.BREACHING)
                        .build();
        try (var h = harness(List.of(volume))) {
            h.open();
            h.processElement(point("EventVolume", Map.of(), 1, 5000));
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).extracting(a -> a.state).containsExactly("OK");
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void raisedAlarmIsStateAndDoesNotAlertAgainAfterRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            for (int hour = 1; hour <= 3; hour++) {
                h.processElement(point("CTR", Map.of(), hour, 1.0));
                h.processWatermark(hour * HOUR);
            }
            assertThat(news(h.extractOutputValues())).hasSize(1);
            // One state entry: the low-CTR alarm of the overall CTR series.
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            snapshot = h.snapshot(1L, 3 * HOUR);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            // The timer of hour 4 survived the restore.
            assertThat(restored.numEventTimeTimers()).isEqualTo(1);
            restored.processElement(point("CTR", Map.of(), 4, 1.0));
            restored.processWatermark(4 * HOUR);
            assertThat(restored.extractOutputValues()).as("still in ALARM: no new alert").isEmpty();
            restored.processElement(point("CTR", Map.of(), 5, 3.0));
            restored.processElement(point("CTR", Map.of(), 6, 3.0));
            restored.processWatermark(6 * HOUR);
            // Hysteresis: leaving ALARM needs ok-periods (= N = 3) good hours, not 2; still
            // critical at 5:00, 2 h after the raise, so the alarm repeats.
            assertThat(restored.extractOutputValues())
                    .extracting(a -> a.notification + "@" + a.time / HOUR)
                    .containsExactly("repeat@5");
            restored.processElement(point("CTR", Map.of(), 7, 3.0));
            restored.processWatermark(7 * HOUR);
            assertThat(restored.extractOutputValues())
                    .extracting(a -> a.notification + "@" + a.time / HOUR)
                    .containsExactly("repeat@5", "resolved@7");
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
            assertThat(h.numEventTimeTimers()).isZero();
            h.processElement(point("CTR", Map.of("ModelVersion", "v1"), 1, 0.1));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
