package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots of the alarm engine's first stage written by the previous release (main at bf25811,
 * before seasonal alarms; {@code previous-release/AlarmStateGeneratorTest.java.txt} wrote them on
 * the heap and RocksDB backends) restore into this release's {@link AlarmFunction}: the default
 * catalog, the overall CTR at 3.5 % for hours 1..26 and 1.2 % for hours 27..30, when
 * recommendation-ctr-drop (raised at 28:00) and recommendation-low-ctr (at 29:00) were critical.
 */
class AlarmPreviousReleaseStateTest {
    private static final long HOUR = 3_600_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Alert> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new AlarmFunction(
                                MonitorConfig.defaults().alarmCatalog().alarms(), 2 * HOUR, 0)),
                MetricPoint::seriesKey,
                Types.STRING);
    }

    private static StreamRecord<MetricPoint> ctr(int hour, double value) {
        MetricPoint p =
                new MetricPoint(
                        "RecommendationSystem",
                        "CTR",
                        Map.of(),
                        value,
                        "Percent",
                        (hour - 1) * HOUR,
                        hour * HOUR);
        p.samples = 20_000;
        return new StreamRecord<>(p, p.timestamp - 1);
    }

    private static List<String> describe(List<Alert> alerts) {
        return alerts.stream()
                .map(
                        a ->
                                a.alarmName
                                        + " "
                                        + a.notification
                                        + "/"
                                        + a.severity
                                        + "@"
                                        + a.time / HOUR)
                .collect(Collectors.toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void raisedAlarmsCarryOnAndTheChangedCtrDropStartsItsSeasonalWarmUp(String backend)
            throws Exception {
        try (var h = harness()) {
            h.setStateBackend(
                    backend.equals("rocksdb")
                            ? new EmbeddedRocksDBStateBackend()
                            : new HashMapStateBackend());
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            getClass()
                                    .getResource(
                                            "/previous-release/alarm-states-"
                                                    + backend
                                                    + ".snapshot")
                                    .getPath()));
            h.open();
            // Two more bad hours: both alarms are still critical, nothing is news (no second
            // "raised"); then the CTR is back.
            for (int hour = 31; hour <= 40; hour++) {
                h.processElement(ctr(hour, hour <= 32 ? 1.2 : 3.5));
                h.processWatermark(hour * HOUR);
            }
            List<Alert> out = h.extractOutputValues();
            // Still critical after the restore: repeats 2 h after each one's last alert (ctr-drop's
            // at 30:00, low-ctr's raise at 29:00), no second "raised"; resolved after ok-periods
            // (3) good hours. recommendation-ctr-drop is seasonal now: a new definition with the
            // same period aggregates, so its 24 h of history carry on (without them it would have
            // nothing to compare with) and its band starts in warm-up.
            assertThat(describe(out))
                    .containsExactly(
                            "recommendation-low-ctr repeat/critical@31",
                            "recommendation-ctr-drop repeat/critical@32",
                            "recommendation-low-ctr repeat/critical@33",
                            "recommendation-ctr-drop repeat/critical@34",
                            "recommendation-low-ctr resolved/critical@35",
                            "recommendation-ctr-drop resolved/critical@35");
            assertThat(out.get(1).reason)
                    .contains("from its mean over the previous 24.0 h (warm-up");
        }
    }
}
