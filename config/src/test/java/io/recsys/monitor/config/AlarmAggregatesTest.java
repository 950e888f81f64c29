package io.recsys.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmDefinition.Comparison;
import io.recsys.monitor.config.AlarmDefinition.Statistic;
import io.recsys.monitor.config.AlarmDefinition.TreatMissingData;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The aggregates a series' history holds, read back from the definition text its state keeps:
 * thresholds, comparison, missing data and seasonality leave them unchanged; statistic, metric,
 * period, N and the name change them.
 */
class AlarmAggregatesTest {
    private static final AlarmDefinition CTR_DROP =
            AlarmCatalog.defaults().alarm("recommendation-ctr-drop");

    @Test
    void everyDefaultAlarmIsReadBackFromItsText() {
        for (AlarmDefinition d : AlarmCatalog.defaults().alarms()) {
            assertThat(AlarmAggregates.parse(d.toString()))
                    .as(d.toString())
                    .contains(AlarmAggregates.of(d));
        }
    }

    @Test
    void thresholdsComparisonMissingDataAndSeasonalityKeepTheAggregates() {
        AlarmDefinition plain =
                CTR_DROP.toBuilder()
                        .seasonal(false)
                        .comparison(Comparison.GREATER_THAN)
                        .warningThreshold(25)
                        .criticalThreshold(50)
                        .datapointsToAlarm(3)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build();
        assertThat(plain.toString()).isNotEqualTo(CTR_DROP.toString());
        assertThat(AlarmAggregates.parse(plain.toString())).contains(AlarmAggregates.of(CTR_DROP));
    }

    @Test
    void statisticMetricPeriodAndEvaluationPeriodsChangeThem() {
        AlarmAggregates was = AlarmAggregates.of(CTR_DROP);
        assertThat(AlarmAggregates.of(CTR_DROP.toBuilder().statistic(Statistic.MAXIMUM).build()))
                .isNotEqualTo(was);
        assertThat(AlarmAggregates.of(CTR_DROP.toBuilder().periodMillis(1_800_000L).build()))
                .isNotEqualTo(was);
        assertThat(AlarmAggregates.of(CTR_DROP.toBuilder().evaluationPeriods(4).build()))
                .isNotEqualTo(was);
        AlarmDefinition otherMetric =
                AlarmCatalog.defaults().alarm("recommendation-low-conversion-rate");
        assertThat(AlarmAggregates.parse(otherMetric.toString())).isNotEqualTo(Optional.of(was));
    }

    @Test
    void aNameThatContainsAnotherDefinitionsPiecesDoesNotMatch() {
        // The old check looked for " of 3 x 3600 s, " anywhere in the text, and a name prefix.
        String impostor =
                "recommendation-ctr-drop: Average(CTR) < warning -4.0 critical -10.0, 2 of 3 x"
                        + " 3600 s, missing=missing and then: Average(CTR) < warning 1 critical"
                        + " 2, 2 of 3 x 60 s, missing=missing";
        assertThat(AlarmAggregates.parse(impostor))
                .hasValueSatisfying(a -> assertThat(a).isNotEqualTo(AlarmAggregates.of(CTR_DROP)));
        assertThat(AlarmAggregates.parse("recommendation-ctr-drop: Average(CTR)")).isEmpty();
        assertThat(AlarmAggregates.parse(null)).isEmpty();
    }
}
