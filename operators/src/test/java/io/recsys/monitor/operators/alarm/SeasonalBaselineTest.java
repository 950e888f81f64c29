package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.Comparison;
import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The seasonal baseline period by period: the warm-up on the trailing mean, the band by the same
 * hour of the day and then of the week, its edges, its bounded state and its restore.
 */
class SeasonalBaselineTest {
    private static final long HOUR = 3_600_000L;
    private static final int DAY = 24;
    private static final long NEVER = Long.MAX_VALUE / 4;

    /** CTR by value (no evidence): 1 of 1 at -4 and -10 deviations, 24 h warm-up. */
    private static AlarmDefinition drop() {
        return AlarmDefinition.builder("ctr-drop", "CTR")
                .comparison(Comparison.LESS_THAN)
                .seasonal(true)
                .baselineMillis(24 * HOUR)
                .warningThreshold(-4)
                .criticalThreshold(-10)
                .periodMillis(HOUR)
                .evaluationPeriods(1)
                .okPeriods(1)
                .confidence(0)
                .description("CTR below its band by {threshold} deviations")
                .build();
    }

    /** A daily cycle between 2.5 % (04:00) and 4.5 % (16:00), the same every day. */
    private static double cycle(int hour) {
        return 3.5 - Math.cos(2 * Math.PI * ((hour % DAY) - 4) / DAY);
    }

    private static MetricPoint point(long end, double v) {
        return new MetricPoint(
                "RecommendationSystem", "CTR", Map.of(), v, "Percent", end - HOUR, end);
    }

    /** Feeds hours from..to-1 (NaN: no datapoint), evaluating each; returns every alert. */
    private static List<Alert> feed(
            AlarmDefinition d, AlarmState state, int from, int to, IntToDoubleFunction value) {
        List<Alert> alerts = new ArrayList<>();
        for (int h = from; h < to; h++) {
            double v = value.applyAsDouble(h);
            if (!Double.isNaN(v)) {
                AlarmEvaluator.record(d, state, point((h + 1) * HOUR, v));
            }
            Optional<Alert> a = AlarmEvaluator.evaluate(d, state, h, NEVER, Map.of());
            a.ifPresent(alerts::add);
        }
        return alerts;
    }

    private static List<Alert> news(List<Alert> alerts) {
        List<Alert> news = new ArrayList<>();
        for (Alert a : alerts) {
            if (!AlarmEvaluator.isQuiet(a.previousState, a.state)) {
                news.add(a);
            }
        }
        return news;
    }

    @Test
    void beforeTheTrailingSpanHasHalfItsPeriodsThereIsNothingToCompareWith() {
        AlarmDefinition d = drop();
        AlarmState state = AlarmEvaluator.initialState(d);
        feed(d, state, 0, 12, SeasonalBaselineTest::cycle);
        // Hour 12: the 12 hours before it are half the 24 h span, the least it takes.
        assertThat(AlarmEvaluator.baselines(d, state, 11)[0].isKnown()).isFalse();
        assertThat(AlarmEvaluator.baselines(d, state, 12)[0].isKnown()).isTrue();
        assertThat(AlarmEvaluator.baselines(d, state, 12)[0].source)
                .isEqualTo(Baseline.Source.TRAILING_FALLBACK);
    }

    @Test
    void theWarmUpComparesWithTheTrailingMeanInItsRobustDeviationAndSaysSo() {
        AlarmDefinition d = drop();
        AlarmState state = AlarmEvaluator.initialState(d);
        // A day of the cycle and a second day to 04:00, the trough: no alert on the way.
        assertThat(news(feed(d, state, 0, DAY + 5, SeasonalBaselineTest::cycle))).isEmpty();
        Baseline b = AlarmEvaluator.baselines(d, state, DAY + 4)[0];
        // The 24 hours before 28:00 cover one whole cycle: mean 3.5; the absolute deviations from
        // the median (3.5) are |cos| of multiples of 15 degrees, whose median is cos 45 = 0.70711,
        // x 1.4826 = 1.04836.
        assertThat(b.source).isEqualTo(Baseline.Source.TRAILING_FALLBACK);
        assertThat(b.centre).isEqualTo(3.5, within(1e-9));
        assertThat(b.scale).isEqualTo(1.4826 * Math.sqrt(0.5), within(1e-9));
        // The trough (2.5) is 0.95 deviations below. The band is as wide as the cycle: a drop to
        // 0.5 % at 04:00 is only 2.86 below, not yet a warning in warm-up.
        assertThat(b.relative(2.5)).isEqualTo(-1.0 / (1.4826 * Math.sqrt(0.5)), within(1e-9));
        assertThat(news(feed(d, state, DAY + 5, DAY + 6, h -> 0.5))).isEmpty();

        // On steady traffic the band is the floor, 5 % of the mean: 40 % of 3.5 is critical.
        AlarmState steady = AlarmEvaluator.initialState(d);
        feed(d, steady, 0, DAY, h -> 3.5);
        List<Alert> raised = news(feed(d, steady, DAY, DAY + 1, h -> 1.4));
        assertThat(raised).hasSize(1);
        assertThat(raised.get(0).severity).isEqualTo("critical");
        assertThat(raised.get(0).value).isEqualTo(-12.0, within(1e-9));
        assertThat(raised.get(0).reason)
                .contains(
                        "CTR in robust standard deviations from its mean over the previous 24.0 h")
                .contains("(warm-up: fewer than 3 days of history for this hour)")
                .contains("centre 3.500, deviation 0.1750");
    }

    @Test
    void fromTheThirdDayTheSameHourOfTheDayGivesTheBand() {
        AlarmDefinition d = drop();
        AlarmState state = AlarmEvaluator.initialState(d);
        feed(d, state, 0, 3 * DAY, SeasonalBaselineTest::cycle);
        // Hour 04:00 of day 3 has three earlier 04:00s; 03:00 of day 2 only two.
        assertThat(AlarmEvaluator.baselines(d, state, 3 * DAY + 4)[0].source)
                .isEqualTo(Baseline.Source.SAME_HOUR_OF_DAY);
        assertThat(AlarmEvaluator.baselines(d, state, 2 * DAY + 3)[0].source)
                .isEqualTo(Baseline.Source.TRAILING_FALLBACK);
        // A week of the cycle raises nothing: each night is what the nights were.
        assertThat(news(feed(d, state, 3 * DAY, 7 * DAY, SeasonalBaselineTest::cycle))).isEmpty();
    }

    @Test
    void theBandIsTheMedianAndTheScaledMedianAbsoluteDeviationWithAFloor() {
        AlarmDefinition d = drop();
        AlarmState state = AlarmEvaluator.initialState(d);
        // 04:00 on seven days: 2.0, 2.4, 2.5, 2.6, 3.0, 9.9 (an outlier), 2.5; other hours 3.5.
        double[] nights = {2.0, 2.4, 2.5, 2.6, 3.0, 9.9, 2.5};
        feed(d, state, 0, 7 * DAY, h -> h % DAY == 4 ? nights[h / DAY] : 3.5);
        Baseline b = AlarmEvaluator.baselines(d, state, 7 * DAY + 4)[0];
        // Sorted 2.0 2.4 2.5 2.5 2.6 3.0 9.9: median 2.5; |deviations| 0.5 0.1 0 0 0.1 0.5 7.4,
        // sorted 0 0 0.1 0.1 0.5 0.5 7.4: median 0.1; x 1.4826 = 0.14826, above the floor
        // (5 % of 2.5 = 0.125).
        assertThat(b.source).isEqualTo(Baseline.Source.SAME_HOUR_OF_DAY);
        assertThat(b.periods).isEqualTo(7);
        assertThat(b.centre).isEqualTo(2.5, within(1e-12));
        assertThat(b.scale).isEqualTo(0.14826, within(1e-12));
        // The band's edges: warning at 2.5 - 4 x 0.14826, critical at 2.5 - 10 x 0.14826.
        assertThat(AlarmEvaluator.levelOf(d, -4, b)).isEqualTo(1.90696, within(1e-12));
        assertThat(AlarmEvaluator.levelOf(d, -10, b)).isEqualTo(1.0174, within(1e-12));
        // Seven identical 15:00s have no deviation: the floor, 5 % of 3.5, is the scale.
        Baseline steady = AlarmEvaluator.baselines(d, state, 7 * DAY + 15)[0];
        assertThat(steady.scale).isEqualTo(0.175, within(1e-12));
    }

    @Test
    void aPeriodBreachesJustBeyondTheBandEdgesAndNotWithinThem() {
        AlarmDefinition d = drop();
        double[] nights = {2.0, 2.4, 2.5, 2.6, 3.0, 9.9, 2.5};
        double warningEdge = 2.5 - 4 * 0.14826;
        double criticalEdge = 2.5 - 10 * 0.14826;
        double[] tonight = {
            warningEdge + 1e-9, warningEdge - 1e-9, criticalEdge + 1e-9, criticalEdge - 1e-9
        };
        String[] expected = {"none", "warning", "warning", "critical"};
        for (int i = 0; i < tonight.length; i++) {
            AlarmState state = AlarmEvaluator.initialState(d);
            double v = tonight[i];
            feed(d, state, 0, 7 * DAY, h -> h % DAY == 4 ? nights[h / DAY] : 3.5);
            List<Alert> alerts =
                    news(feed(d, state, 7 * DAY, 7 * DAY + 5, h -> h % DAY == 4 ? v : 3.5));
            String got = alerts.isEmpty() ? "none" : alerts.get(0).severity;
            assertThat(got).as("04:00 at %s", v).isEqualTo(expected[i]);
            if (!alerts.isEmpty()) {
                assertThat(alerts.get(0).reason)
                        .contains("from its median at this hour of the day (7 of the last 7 days)")
                        .contains("centre 2.500, deviation 0.1483");
            }
        }
    }

    @Test
    void afterThreeWeeksTheSameHourOfTheWeekGivesTheBand() {
        AlarmDefinition d = drop();
        AlarmState state = AlarmEvaluator.initialState(d);
        // Saturdays (day 5 of each week) run at half the weekday CTR.
        IntToDoubleFunction weekly = h -> (h / DAY) % 7 == 5 ? 1.75 : 3.5;
        feed(d, state, 0, 2 * 7 * DAY, weekly);
        // Two weeks: the same hour of the day; the Saturday 10:00 of week 3 looks like a drop
        // (median of the last 7 days is 3.5).
        int saturday = (2 * 7 + 5) * DAY + 10;
        feed(d, state, 2 * 7 * DAY, saturday, weekly);
        assertThat(AlarmEvaluator.baselines(d, state, saturday)[0].source)
                .isEqualTo(Baseline.Source.SAME_HOUR_OF_DAY);
        feed(d, state, saturday, 3 * 7 * DAY, weekly);
        // From week 4 on, three Saturdays are known: the same hour of the week.
        int nextSaturday = (3 * 7 + 5) * DAY + 10;
        feed(d, state, 3 * 7 * DAY, nextSaturday, weekly);
        Baseline b = AlarmEvaluator.baselines(d, state, nextSaturday)[0];
        assertThat(b.source).isEqualTo(Baseline.Source.SAME_HOUR_OF_WEEK);
        assertThat(b.centre).isEqualTo(1.75);
        assertThat(b.periods).isEqualTo(3);
        assertThat(news(feed(d, state, nextSaturday, nextSaturday + DAY, weekly))).isEmpty();
    }

    @Test
    void theHistoryIsBoundedToFourWeeksOfPeriods() {
        AlarmDefinition d = drop();
        AlarmState state = AlarmEvaluator.initialState(d);
        feed(d, state, 0, 40 * DAY, SeasonalBaselineTest::cycle);
        assertThat(state.seasonalValues).hasSize(28 * DAY);
        assertThat(SeasonalHistory.bytesPerSeries(d)).isEqualTo(5_384);
        // The oldest period held is 28 days back; one more is gone.
        assertThat(SeasonalHistory.valueOf(d, state, 40 * DAY - 28 * DAY)).isNotNaN();
        assertThat(SeasonalHistory.valueOf(d, state, 40 * DAY - 28 * DAY - 1)).isNaN();
        // A gap of two days leaves no stale values behind it.
        feed(d, state, 42 * DAY, 42 * DAY + 1, SeasonalBaselineTest::cycle);
        assertThat(SeasonalHistory.valueOf(d, state, 41 * DAY)).isNaN();
        assertThat(SeasonalHistory.valueOf(d, state, 41 * DAY - 28 * DAY)).isNaN();
    }

    /** Through the Flink serializer of the state, generic types off, as a checkpoint does. */
    private static AlarmState checkpointed(AlarmState state) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<AlarmState> serializer =
                TypeInformation.of(AlarmState.class).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(8192);
        serializer.serialize(state, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void aRestoredHistoryCarriesOnAsIfNeverStopped() throws Exception {
        AlarmDefinition d = drop();
        IntToDoubleFunction traffic = h -> h == 9 * DAY + 3 ? 0.8 : cycle(h);
        List<Alert> straight = feed(d, AlarmEvaluator.initialState(d), 0, 10 * DAY, traffic);
        assertThat(news(straight))
                .extracting(a -> a.notification + "@" + a.time / HOUR)
                .containsExactly("raised@" + (9 * DAY + 4), "resolved@" + (9 * DAY + 5));
        for (int k : new int[] {DAY + 2, 3 * DAY + 1, 9 * DAY + 3}) {
            AlarmState before = AlarmEvaluator.initialState(d);
            List<Alert> alerts = feed(d, before, 0, k, traffic);
            AlarmState after = checkpointed(before);
            assertThat(after.seasonalValues).isEqualTo(before.seasonalValues);
            alerts.addAll(feed(d, after, k, 10 * DAY, traffic));
            assertThat(alerts).as("restored after hour %d", k).isEqualTo(straight);
        }
    }

    @Test
    void stateWithoutAHistoryStartsOneAtItsNextPeriod() {
        AlarmDefinition d = drop();
        AlarmState state = AlarmEvaluator.initialState(d);
        feed(d, state, 0, 2 * DAY, SeasonalBaselineTest::cycle);
        // What a checkpoint from before seasonal alarms restores: the new fields at defaults.
        state.seasonalValues = null;
        state.seasonalNewest = 0;
        assertThat(news(feed(d, state, 2 * DAY, 3 * DAY, SeasonalBaselineTest::cycle))).isEmpty();
        assertThat(state.seasonalValues).hasSize(28 * DAY);
        assertThat(SeasonalHistory.valueOf(d, state, 3 * DAY - 1)).isEqualTo(cycle(3 * DAY - 1));
    }

    @Test
    void definitionsCheckTheBandAndThePeriod() {
        AlarmDefinition.Builder b = drop().toBuilder();
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () -> b.warningThreshold(4).criticalThreshold(10).build()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("band widths in standard deviations");
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () -> drop().toBuilder().periodMillis(7 * 60_000L).build()))
                .hasMessageContaining("divides a day");
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                                () -> drop().toBuilder().baselineMillis(0).build()))
                .hasMessageContaining("baseline span for its warm-up");
        AlarmDefinition shipped =
                MonitorConfig.defaults().alarmCatalog().alarm("recommendation-ctr-drop");
        assertThat(shipped.isSeasonal()).isTrue();
        assertThat(shipped.description("warning")).contains("-4");
    }
}
