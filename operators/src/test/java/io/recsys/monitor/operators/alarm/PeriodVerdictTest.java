package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.Comparison;
import io.recsys.monitor.config.AlarmDefinition.TreatMissingData;
import io.recsys.monitor.operators.alarm.PeriodVerdict.Level;
import org.junit.jupiter.api.Test;

/**
 * The level each kind of period counts at, which the M of N count and the hysteresis share:
 * treat-missing-data decides a missing period, an insufficient one says nothing.
 */
class PeriodVerdictTest {

    private static AlarmDefinition errors(TreatMissingData missing, double critical) {
        return AlarmDefinition.builder("errors", "Errors")
                .comparison(Comparison.GREATER_THAN)
                .warningThreshold(5)
                .criticalThreshold(critical)
                .treatMissingData(missing)
                .build();
    }

    @Test
    void aMissingPeriodCountsAsTreatMissingDataSays() {
        assertThat(PeriodVerdict.missing(errors(TreatMissingData.BREACHING, 10)).level())
                .isEqualTo(Level.CRITICAL);
        // Breaching at the worst level the alarm has.
        assertThat(PeriodVerdict.missing(errors(TreatMissingData.BREACHING, Double.NaN)).level())
                .isEqualTo(Level.WARNING);
        assertThat(PeriodVerdict.missing(errors(TreatMissingData.NOT_BREACHING, 10)).level())
                .isEqualTo(Level.GOOD);
        assertThat(PeriodVerdict.missing(errors(TreatMissingData.MISSING, 10)).level())
                .isEqualTo(Level.SILENT);
        assertThat(PeriodVerdict.missing(errors(TreatMissingData.IGNORE, 10)).level())
                .isEqualTo(Level.SILENT);
        PeriodVerdict missing = PeriodVerdict.missing(errors(TreatMissingData.BREACHING, 10));
        assertThat(missing.isMissing()).isTrue();
        assertThat(missing.isInsufficient()).isFalse();
        assertThat(missing).hasToString("missing");
    }

    @Test
    void anInsufficientPeriodSaysNothing() {
        PeriodVerdict v = PeriodVerdict.insufficient("12 samples, p99 needs 1000");
        assertThat(v.level()).isEqualTo(Level.SILENT);
        assertThat(v.isInsufficient()).isTrue();
        assertThat(v.isMissing()).isFalse();
        assertThat(v.evidence()).isEqualTo("12 samples, p99 needs 1000");
        assertThat(v).hasToString("insufficient");
    }

    @Test
    void aPresentPeriodCountsAtTheWorstLevelItBreaches() {
        assertThat(PeriodVerdict.present(true, false, null).level()).isEqualTo(Level.CRITICAL);
        assertThat(PeriodVerdict.present(true, true, null).level()).isEqualTo(Level.CRITICAL);
        assertThat(PeriodVerdict.present(false, true, null).level()).isEqualTo(Level.WARNING);
        assertThat(PeriodVerdict.present(false, false, null).level()).isEqualTo(Level.GOOD);
        assertThat(PeriodVerdict.present(false, false, null)).hasToString("clear");
        assertThat(PeriodVerdict.present(false, true, null)).hasToString("warning");
        assertThat(PeriodVerdict.present(true, false, null)).hasToString("critical");
    }
}
