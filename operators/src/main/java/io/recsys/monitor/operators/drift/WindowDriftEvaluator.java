package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.reference.CategoricalProfile;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.NumericProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.ObjDoubleConsumer;
import java.util.function.Predicate;

/**
 * Compares one model version's window sample with its reference profile: a KS test per numerical
 * feature (with PSI and Jensen-Shannon distance), a chi-square test per categorical feature, KS,
 * mean shift and variance change on the top scores, and the model-level flag. Pure: it turns a
 * window and a profile into drift reports and metric points.
 *
 * <p>The reports and metric points describe the full window. The drifted flags are {@link
 * DriftRules}' decision on the full window and on the recent windows that end with it (its last
 * panes): a test is drifted when any of them flags it, and the report names the shortest window
 * that did ({@link DriftReport#flaggedByMinutes}). A model version is drifted when a feature or its
 * predictions are.
 *
 * <p>Metric points carry only the {@code ModelVersion} dimension; the reference version is in the
 * reports, not a dimension, because every new reference would start new CloudWatch series.
 */
public final class WindowDriftEvaluator {
    /** The slide of the job's default configuration (5 minutes). */
    static final long DEFAULT_SLIDE_MILLIS = 300_000L;

    private static final long MINUTE_MILLIS = 60_000L;

    private final DriftRules rules;
    private final String namespace;
    private final long slideMillis;

    /** Evaluated every {@link #DEFAULT_SLIDE_MILLIS}, for the false-alarm budget. */
    public WindowDriftEvaluator(DriftRules rules, String namespace) {
        this(rules, namespace, DEFAULT_SLIDE_MILLIS);
    }

    /**
     * @param slideMillis how often a model version's windows are evaluated, which spreads the
     *     rules' false-alarm budget per day over that many evaluations
     */
    public WindowDriftEvaluator(DriftRules rules, String namespace, long slideMillis) {
        if (slideMillis <= 0) {
            throw new IllegalArgumentException("the slide must be positive, got " + slideMillis);
        }
        this.rules = rules;
        this.namespace = namespace;
        this.slideMillis = slideMillis;
    }

    /** The last panes of a window, merged in time order: a window ending with the full one. */
    public static final class RecentWindow {
        public final long millis;
        public final PaneSketch sketch;

        public RecentWindow(long millis, PaneSketch sketch) {
            this.millis = millis;
            this.sketch = sketch;
        }
    }

    /** Reports and metric points of one window. */
    public static final class Outcome {
        public final List<DriftReport> reports = new ArrayList<>();
        public final List<MetricPoint> metrics = new ArrayList<>();
    }

    /** The full window alone, without recent windows. */
    public Outcome evaluate(
            String modelVersion,
            long windowStart,
            long windowEnd,
            PaneSketch window,
            ModelProfile profile,
            String referenceVersion) {
        return evaluate(
                modelVersion, windowStart, windowEnd, window, List.of(), profile, referenceVersion);
    }

    /**
     * @param recent windows ending at {@code windowEnd} that are shorter than the full one, always
     *     the same lengths (the false-alarm budget counts them), in any order
     * @param profile the reference for this model version, or null when there is none at all
     * @param referenceVersion the version of the profile's reference file
     */
    public Outcome evaluate(
            String modelVersion,
            long windowStart,
            long windowEnd,
            PaneSketch window,
            List<RecentWindow> recent,
            ModelProfile profile,
            String referenceVersion) {
        return combine(
                List.of(
                        evaluatePart(
                                modelVersion,
                                windowStart,
                                windowEnd,
                                window,
                                recent,
                                profile,
                                referenceVersion)));
    }

    /**
     * Tests what {@code window} holds of the model version's drift units ({@link DriftUnit}): the
     * features of the profile that have values in it and the scores, each decided on its own (the
     * false-alarm budget takes the profile's number of tests, not the window's). A window of every
     * unit gives all of them; {@link #combine} turns the parts of one window into its reports.
     *
     * @param window the window's panes merged, of one unit or of several
     * @param recent as for {@link #evaluate}, of the same units
     * @param profile the reference for this model version, or null when there is none at all
     */
    public WindowDriftPart evaluatePart(
            String modelVersion,
            long windowStart,
            long windowEnd,
            PaneSketch window,
            List<RecentWindow> recent,
            ModelProfile profile,
            String referenceVersion) {
        WindowDriftPart part = new WindowDriftPart(modelVersion, windowStart, windowEnd);
        part.events = window.events();
        if (profile == null) {
            if (window.events() > 0) {
                DriftReport report =
                        base(modelVersion, DriftReport.ALL_FEATURES, windowStart, windowEnd);
                report.test = DriftReport.NO_REFERENCE;
                report.statistic = Double.NaN;
                report.pValue = Double.NaN;
                report.effectSize = Double.NaN;
                report.nCurrent = window.events();
                report.severity = "low";
                part.noReference = report;
            }
            return part;
        }
        int rank = 0;
        for (Map.Entry<String, NumericProfile> e : profile.numericalFeatures.entrySet()) {
            int featureRank = rank++;
            EmpiricalCdf current = window.numericDistribution(e.getKey());
            if (current.isEmpty() || e.getValue().distribution.isEmpty()) {
                continue;
            }
            EmpiricalCdf reference = e.getValue().distribution;
            DriftReport r = base(modelVersion, e.getKey(), windowStart, windowEnd);
            r.test = DriftReport.KS;
            // A sampled window stands for all its values: the p-value takes their number.
            ks(r, reference, current, window.numericCount(e.getKey()));
            r.effectSize = r.statistic;
            part.addFeature(featureRank, r);
        }
        for (Map.Entry<String, CategoricalProfile> e : profile.categoricalFeatures.entrySet()) {
            int featureRank = rank++;
            Map<String, Long> current = window.categoryCounts(e.getKey());
            if (current.isEmpty() || e.getValue().count == 0) {
                continue;
            }
            ChiSquareHomogeneity.Result result =
                    ChiSquareHomogeneity.test(e.getValue().categories, current);
            DriftReport r = base(modelVersion, e.getKey(), windowStart, windowEnd);
            r.test = DriftReport.CHI_SQUARE;
            r.statistic = result.statistic;
            r.pValue = result.pValue;
            r.effectSize = result.cramersV;
            r.foldedCategories = result.foldedCategories;
            r.nReference = e.getValue().count;
            r.nCurrent = current.values().stream().mapToLong(Long::longValue).sum();
            part.addFeature(featureRank, r);
            OptionalDouble unseen = UnseenCategories.sharePercent(e.getValue().categories, current);
            if (unseen.isPresent()) {
                Map<String, String> dims = new TreeMap<>();
                dims.put(MetricNames.MODEL_VERSION, modelVersion);
                dims.put(MetricNames.FEATURE, e.getKey());
                part.addUnseenShare(
                        featureRank,
                        new MetricPoint(
                                namespace,
                                MetricNames.UNSEEN_CATEGORY_SHARE,
                                dims,
                                unseen.getAsDouble(),
                                "Percent",
                                windowStart,
                                windowEnd));
            }
        }
        // Shortest first: a report names the shortest window that flags it.
        List<RecentWindow> windows = new ArrayList<>(recent);
        windows.add(new RecentWindow(windowEnd - windowStart, window));
        windows.sort(Comparator.comparingLong(w -> w.millis));
        int tests =
                profile.numericalFeatures.size()
                        + profile.categoricalFeatures.size()
                        + (profile.scores == null ? 0 : 1);
        double testAlpha = rules.testAlpha(slideMillis, windows.size(), Math.max(1, tests));
        for (DriftReport r : part.features) {
            r.referenceVersion = referenceVersion;
            decide(r, windows, sketch -> flags(r, sketch, sketch == window, profile, testAlpha));
            r.severity = DriftRules.severity(r.effectSize);
        }
        DriftReport prediction =
                predictionReport(
                        modelVersion,
                        windowStart,
                        windowEnd,
                        window,
                        profile.scores,
                        windows,
                        testAlpha);
        if (prediction != null) {
            prediction.referenceVersion = referenceVersion;
            part.prediction = prediction;
        }
        return part;
    }

    /**
     * A window's reports and metric points from the parts of its units ({@link #evaluatePart}), in
     * any order: the features in the profile's order, the model report, the predictions. Without a
     * reference, the one report that says so.
     */
    public Outcome combine(List<WindowDriftPart> parts) {
        Outcome outcome = new Outcome();
        if (parts.isEmpty()) {
            return outcome;
        }
        WindowDriftPart first = parts.get(0);
        String modelVersion = first.modelVersion;
        long windowStart = first.windowStart;
        long windowEnd = first.windowEnd;
        long events = 0;
        DriftReport prediction = null;
        TreeMap<Integer, DriftReport> byRank = new TreeMap<>();
        TreeMap<Integer, MetricPoint> unseenByRank = new TreeMap<>();
        for (WindowDriftPart part : parts) {
            if (part.noReference != null) {
                outcome.reports.add(part.noReference);
                return outcome;
            }
            events += part.events;
            for (int i = 0; i < part.features.size(); i++) {
                byRank.put(part.featureRanks.get(i), part.features.get(i));
            }
            for (int i = 0; i < part.unseenShares.size(); i++) {
                unseenByRank.put(part.unseenRanks.get(i), part.unseenShares.get(i));
            }
            if (part.prediction != null) {
                prediction = part.prediction;
            }
        }
        ObjDoubleConsumer<String> metric =
                (name, value) ->
                        outcome.metrics.add(
                                new MetricPoint(
                                        namespace,
                                        name,
                                        Collections.singletonMap(
                                                MetricNames.MODEL_VERSION, modelVersion),
                                        value,
                                        "None",
                                        windowStart,
                                        windowEnd));
        outcome.metrics.addAll(unseenByRank.values());
        List<DriftReport> features = new ArrayList<>(byRank.values());
        double maxEffect = Double.NaN;
        int passingGate = 0;
        for (DriftReport r : features) {
            passingGate += rules.passesEffectGate(r.pValue, r.effectSize) ? 1 : 0;
            maxEffect = Double.isNaN(maxEffect) ? r.effectSize : Math.max(maxEffect, r.effectSize);
            metric.accept(MetricNames.FEATURE_DRIFT_PREFIX + r.feature, r.effectSize);
        }
        outcome.reports.addAll(features);
        if (!features.isEmpty()) {
            metric.accept(MetricNames.FEATURE_DRIFT, maxEffect);
            metric.accept(
                    MetricNames.DRIFTED_FEATURE_SHARE, (double) passingGate / features.size());
            outcome.reports.add(
                    modelReport(
                            modelVersion,
                            windowStart,
                            windowEnd,
                            features,
                            maxEffect,
                            events,
                            features.get(0).referenceVersion,
                            prediction));
        }
        if (prediction != null) {
            outcome.reports.add(prediction);
            metric.accept(MetricNames.PREDICTION_DRIFT, prediction.statistic);
            metric.accept(MetricNames.PREDICTION_MEAN_SHIFT, prediction.effectSize);
            metric.accept(MetricNames.PREDICTION_VARIANCE_CHANGE, prediction.varianceChange);
        }
        // A metric whose value is not a number (e.g. a zero reference deviation) is not emitted.
        outcome.metrics.removeIf(m -> !Double.isFinite(m.value));
        return outcome;
    }

    private DriftReport modelReport(
            String modelVersion,
            long windowStart,
            long windowEnd,
            List<DriftReport> features,
            double maxEffect,
            long events,
            String referenceVersion,
            DriftReport prediction) {
        List<DriftReport> tests = new ArrayList<>(features);
        if (prediction != null) {
            tests.add(prediction);
        }
        // The shortest window that flags any test (a drifted test names one of at least a minute).
        int flaggedBy =
                tests.stream()
                        .filter(t -> t.drifted)
                        .mapToInt(t -> t.flaggedByMinutes)
                        .min()
                        .orElse(0);
        DriftReport r = base(modelVersion, DriftReport.MODEL, windowStart, windowEnd);
        r.test = DriftReport.FALSE_ALARM_BUDGET;
        r.statistic = features.stream().filter(f -> f.drifted).count();
        r.pValue =
                features.stream()
                        .mapToDouble(f -> f.pValue)
                        .filter(p -> !Double.isNaN(p))
                        .min()
                        .orElse(Double.NaN);
        r.effectSize = maxEffect;
        r.nCurrent = events;
        // The guide alerts on drifted features or drifted predictions; so does the model flag.
        r.drifted = flaggedBy > 0;
        r.flaggedByMinutes = flaggedBy;
        r.severity = DriftRules.severity(maxEffect);
        r.referenceVersion = referenceVersion;
        return r;
    }

    /**
     * Sets {@code r.drifted} and {@code r.flaggedByMinutes} from the first of {@code windows}
     * (shortest first) whose test {@code flags}.
     */
    private static void decide(
            DriftReport r, List<RecentWindow> windows, Predicate<PaneSketch> flags) {
        for (RecentWindow w : windows) {
            if (flags.test(w.sketch)) {
                r.drifted = true;
                r.flaggedByMinutes = minutes(w.millis);
                return;
            }
        }
        r.drifted = false;
        r.flaggedByMinutes = 0;
    }

    /**
     * @param full whether {@code sketch} is the full window, whose p-value (and KS D) the report
     *     already holds: the same inputs give the same numbers
     */
    private boolean flags(
            DriftReport r,
            PaneSketch sketch,
            boolean full,
            ModelProfile profile,
            double testAlpha) {
        if (DriftReport.KS.equals(r.test)) {
            if (full) {
                return rules.drifted(r.pValue, r.statistic, testAlpha);
            }
            EmpiricalCdf current = sketch.numericDistribution(r.feature);
            if (current.isEmpty()) {
                return false;
            }
            EmpiricalCdf reference = profile.numericalFeatures.get(r.feature).distribution;
            double d = KsStatistic.statistic(reference, current);
            // The p-value (the costly part on large windows) only where the distance can flag.
            if (!rules.farEnough(d)) {
                return false;
            }
            double p = KsStatistic.pValue(d, reference.count(), sketch.numericCount(r.feature));
            return rules.drifted(p, d, testAlpha);
        }
        Map<String, Long> current = sketch.categoryCounts(r.feature);
        if (current.isEmpty()) {
            return false;
        }
        Map<String, Long> reference = profile.categoricalFeatures.get(r.feature).categories;
        double distance = DistributionDistance.totalVariation(reference, current);
        if (!rules.farEnough(distance)) {
            return false;
        }
        double p = full ? r.pValue : ChiSquareHomogeneity.test(reference, current).pValue;
        return rules.drifted(p, distance, testAlpha);
    }

    private static int minutes(long millis) {
        return (int) Math.max(1, Math.round(millis / (double) MINUTE_MILLIS));
    }

    private DriftReport predictionReport(
            String modelVersion,
            long windowStart,
            long windowEnd,
            PaneSketch window,
            NumericProfile scores,
            List<RecentWindow> windows,
            double testAlpha) {
        EmpiricalCdf current = window.scoreDistribution();
        if (scores == null || scores.distribution.isEmpty() || current.isEmpty()) {
            return null;
        }
        Moments now = window.scoreMoments();
        DriftReport r = base(modelVersion, DriftReport.PREDICTION, windowStart, windowEnd);
        r.test = DriftReport.PREDICTION_KS;
        ks(r, scores.distribution, current, window.scoreCount());
        double sd = scores.standardDeviation;
        r.effectSize = sd > 0 ? Math.abs(now.mean() - scores.mean) / sd : Double.NaN;
        r.varianceChange = sd > 0 ? Math.abs(now.standardDeviation() - sd) / sd : Double.NaN;
        // The guide's rule (KS or mean shift > 2) on every window, the KS part decided as on
        // features: a small alpha for the many tests, a distance floor for large windows.
        decide(
                r,
                windows,
                sketch ->
                        sketch == window
                                // The report holds the full window's D, p-value and mean shift.
                                ? rules.predictionDrifted(
                                        r.pValue, r.statistic, r.effectSize, testAlpha)
                                : predictionFlags(sketch, scores, testAlpha));
        r.retrainingRecommended = r.effectSize > rules.meanShiftRetrain;
        r.severity = DriftRules.severity(r.statistic);
        return r;
    }

    private boolean predictionFlags(PaneSketch sketch, NumericProfile scores, double testAlpha) {
        EmpiricalCdf current = sketch.scoreDistribution();
        if (current.isEmpty()) {
            return false;
        }
        double d = KsStatistic.statistic(scores.distribution, current);
        double sd = scores.standardDeviation;
        double meanShift =
                sd > 0 ? Math.abs(sketch.scoreMoments().mean() - scores.mean) / sd : Double.NaN;
        // As for features: a KS D below the floor flags by the mean shift alone, whatever its p.
        double p =
                rules.farEnough(d)
                        ? KsStatistic.pValue(d, scores.distribution.count(), sketch.scoreCount())
                        : Double.NaN;
        return rules.predictionDrifted(p, d, meanShift, testAlpha);
    }

    private static DriftReport base(String modelVersion, String feature, long start, long end) {
        DriftReport r = new DriftReport();
        r.modelVersion = modelVersion;
        r.feature = feature;
        r.windowStart = start;
        r.windowEnd = end;
        return r;
    }

    /**
     * The KS test of {@code current}, a window of {@code n} values, against {@code reference}, with
     * D's error bound and the binned distances.
     */
    private static void ks(DriftReport r, EmpiricalCdf reference, EmpiricalCdf current, long n) {
        r.statistic = KsStatistic.statistic(reference, current);
        r.pValue = KsStatistic.pValue(r.statistic, reference.count(), n);
        r.errorBound = KsStatistic.errorBound(reference, current);
        r.nReference = reference.count();
        r.nCurrent = n;
        r.psi = DistributionDistance.psi(reference, current);
        r.jensenShannon = DistributionDistance.jensenShannon(reference, current);
    }
}
