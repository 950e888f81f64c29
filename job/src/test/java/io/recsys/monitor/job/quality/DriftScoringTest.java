package io.recsys.monitor.job.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DriftReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two rules and the counting of flags, episodes and delays, on reports written by hand. */
class DriftScoringTest {
    private static final long MINUTE = 60_000L;

    private static DriftReport report(
            String model, String feature, long windowEndMinute, double p, boolean drifted) {
        DriftReport r = new DriftReport();
        r.modelVersion = model;
        r.feature = feature;
        r.test =
                feature.equals(DriftReport.MODEL)
                        ? DriftReport.FALSE_ALARM_BUDGET
                        : feature.equals(DriftReport.PREDICTION)
                                ? DriftReport.PREDICTION_KS
                                : DriftReport.KS;
        r.pValue = p;
        r.effectSize = 0.05;
        r.drifted = drifted;
        r.windowEnd = windowEndMinute * MINUTE;
        return r;
    }

    @Test
    void theGuideFlagsEveryPValueUnderFivePercentAndScoresShiftedByMoreThanTwoSd() {
        assertThat(DriftScoring.GUIDE.test(report("v1", "age", 5, 0.049, false))).isTrue();
        assertThat(DriftScoring.GUIDE.test(report("v1", "age", 5, 0.05, false))).isFalse();
        DriftReport scores = report("v1", DriftReport.PREDICTION, 5, 0.5, false);
        scores.effectSize = 2.01;
        assertThat(DriftScoring.GUIDE.test(scores)).isTrue();
        scores.effectSize = 2.0;
        assertThat(DriftScoring.GUIDE.test(scores)).isFalse();
        // The mean-shift part is the scores' only: a feature's effect size is KS D or V.
        DriftReport feature = report("v1", "age", 5, 0.5, false);
        feature.effectSize = 3.0;
        assertThat(DriftScoring.GUIDE.test(feature)).isFalse();
    }

    @Test
    void countsFlaggedWindowsAndTheirEpisodesPerModelVersion() {
        List<DriftReport> reports = new ArrayList<>();
        boolean[] v1Model = {false, true, true, false, true};
        for (int w = 0; w < 5; w++) {
            long end = 5L * (w + 1);
            reports.add(report("v1", DriftReport.MODEL, end, 0.5, v1Model[w]));
            reports.add(report("v1", "age", end, w == 0 ? 0.01 : 0.5, false));
            reports.add(report("v1", "device", end, w == 0 || w == 1 ? 0.02 : 0.5, v1Model[w]));
            reports.add(report("v2", DriftReport.MODEL, end, 0.5, false));
            reports.add(report("v2", "age", end, w == 4 ? 0.03 : 0.5, false));
        }

        DriftScoring.CleanScore s = DriftScoring.clean(reports);

        assertThat(s.windows).isEqualTo(10);
        assertThat(s.jobModelFlags).isEqualTo(3);
        assertThat(s.jobModelEpisodes).isEqualTo(2);
        // v1 windows 1 and 2 (one episode), v2 window 5.
        assertThat(s.guideModelFlags).isEqualTo(3);
        assertThat(s.guideModelEpisodes).isEqualTo(2);
        assertThat(s.tests).isEqualTo(15);
        assertThat(s.guideTestFlags).isEqualTo(4);
        assertThat(s.jobTestFlags).isEqualTo(3);
    }

    @Test
    void theDelayRunsFromTheShiftToTheFirstFlaggingWindowThatEndsAfterIt() {
        List<DriftReport> reports = new ArrayList<>();
        // A flag before the shift does not count; v1 flags 15 minutes after it, v2 never.
        reports.add(report("v1", "age", 60, 0.01, true));
        reports.add(report("v1", "age", 65, 0.5, false));
        reports.add(report("v1", "age", 80, 0.01, false));
        reports.add(report("v1", "age", 75, 0.01, true));
        reports.add(report("v2", "age", 65, 0.5, false));
        reports.add(report("v2", "device", 70, 0.01, true));

        Map<String, Long> job = DriftScoring.delays(reports, "age", 60 * MINUTE, DriftScoring.JOB);
        Map<String, Long> guide =
                DriftScoring.delays(reports, "age", 60 * MINUTE, DriftScoring.GUIDE);

        assertThat(job).containsExactly(Map.entry("v1", 15 * MINUTE), Map.entry("v2", -1L));
        assertThat(guide).containsExactly(Map.entry("v1", 15 * MINUTE), Map.entry("v2", -1L));
    }
}
