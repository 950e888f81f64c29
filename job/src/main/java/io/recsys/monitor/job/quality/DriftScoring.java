package io.recsys.monitor.job.quality;

import io.recsys.monitor.model.DriftReport;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Scores drift reports (the records of {@code drift.jsonl}) under two rules side by side: the job's
 * ({@link DriftReport#drifted}, and at model level the {@code _model} report's flag) and the
 * operations guide's ({@link #GUIDE}: p < 0.05 per test, and for the scores also a mean shift above
 * 2 standard deviations; a model version is flagged when any of its tests is). On clean traffic
 * every flag is false; after an injected shift, the delay is from the shift's start to the end of
 * the first window that flags it.
 */
public final class DriftScoring {
    /** The guide's significance level per test. */
    static final double GUIDE_ALPHA = 0.05;

    /** The guide's mean shift (reference standard deviations) beyond which scores drift. */
    static final double GUIDE_MEAN_SHIFT = 2.0;

    /** The guide's rule on one feature or prediction report. */
    public static final Predicate<DriftReport> GUIDE =
            r ->
                    r.pValue < GUIDE_ALPHA
                            || (DriftReport.PREDICTION.equals(r.feature)
                                    && r.effectSize > GUIDE_MEAN_SHIFT);

    /** The job's rule on one report: its own flag. */
    public static final Predicate<DriftReport> JOB = r -> r.drifted;

    private DriftScoring() {}

    /** False flags of a clean run. */
    public static final class CleanScore {
        /** Model-version windows that have a model-level report. */
        public final long windows;

        public final long jobModelFlags;

        /** Runs of consecutive windows of a model version flagged by the job: alarms raised. */
        public final long jobModelEpisodes;

        /** Model-version windows in which the guide's rule flags at least one test. */
        public final long guideModelFlags;

        public final long guideModelEpisodes;

        /** Feature and prediction tests, and those the guide's rule and the job's flag. */
        public final long tests;

        public final long guideTestFlags;
        public final long jobTestFlags;

        CleanScore(
                long windows,
                long jobModelFlags,
                long jobModelEpisodes,
                long guideModelFlags,
                long guideModelEpisodes,
                long tests,
                long guideTestFlags,
                long jobTestFlags) {
            this.windows = windows;
            this.jobModelFlags = jobModelFlags;
            this.jobModelEpisodes = jobModelEpisodes;
            this.guideModelFlags = guideModelFlags;
            this.guideModelEpisodes = guideModelEpisodes;
            this.tests = tests;
            this.guideTestFlags = guideTestFlags;
            this.jobTestFlags = jobTestFlags;
        }
    }

    /** Counts every flag of {@code reports}, which come from traffic without drift. */
    public static CleanScore clean(List<DriftReport> reports) {
        // Per model version, the window ends flagged by each rule (sorted, for the episodes).
        Map<String, TreeMap<Long, boolean[]>> byModel = new TreeMap<>();
        long windows = 0;
        long tests = 0;
        long guideTests = 0;
        long jobTests = 0;
        for (DriftReport r : reports) {
            boolean[] flags =
                    byModel.computeIfAbsent(r.modelVersion, m -> new TreeMap<>())
                            .computeIfAbsent(r.windowEnd, e -> new boolean[2]);
            if (DriftReport.MODEL.equals(r.feature)) {
                windows++;
                flags[0] |= r.drifted;
            } else if (isTest(r)) {
                tests++;
                boolean guide = GUIDE.test(r);
                guideTests += guide ? 1 : 0;
                jobTests += r.drifted ? 1 : 0;
                flags[1] |= guide;
            }
        }
        long jobFlags = 0;
        long jobEpisodes = 0;
        long guideFlags = 0;
        long guideEpisodes = 0;
        for (TreeMap<Long, boolean[]> windowsOfModel : byModel.values()) {
            boolean jobBefore = false;
            boolean guideBefore = false;
            for (boolean[] flags : windowsOfModel.values()) {
                jobFlags += flags[0] ? 1 : 0;
                guideFlags += flags[1] ? 1 : 0;
                jobEpisodes += flags[0] && !jobBefore ? 1 : 0;
                guideEpisodes += flags[1] && !guideBefore ? 1 : 0;
                jobBefore = flags[0];
                guideBefore = flags[1];
            }
        }
        return new CleanScore(
                windows,
                jobFlags,
                jobEpisodes,
                guideFlags,
                guideEpisodes,
                tests,
                guideTests,
                jobTests);
    }

    /**
     * Per model version (sorted), milliseconds from {@code shiftStart} to the end of the first
     * window ending after it whose report on {@code feature} satisfies {@code rule}; -1 when none
     * does. Versions with no report on {@code feature} after the start are absent.
     */
    public static Map<String, Long> delays(
            List<DriftReport> reports,
            String feature,
            long shiftStart,
            Predicate<DriftReport> rule) {
        Map<String, Long> delays = new TreeMap<>();
        for (DriftReport r : reports) {
            if (!feature.equals(r.feature) || r.windowEnd <= shiftStart) {
                continue;
            }
            long known = delays.computeIfAbsent(r.modelVersion, m -> -1L);
            long delay = r.windowEnd - shiftStart;
            if (rule.test(r) && (known < 0 || delay < known)) {
                delays.put(r.modelVersion, delay);
            }
        }
        return delays;
    }

    private static boolean isTest(DriftReport r) {
        return DriftReport.KS.equals(r.test)
                || DriftReport.CHI_SQUARE.equals(r.test)
                || DriftReport.PREDICTION_KS.equals(r.test);
    }
}
