package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.reference.CategoricalProfile;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.NumericProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Compares one model version's window sample with its reference profile: a KS test per numerical
 * feature (with PSI and Jensen-Shannon distance), a chi-square test per categorical feature, KS,
 * mean shift and variance change on the top scores, and the model-level flag: Benjamini-Hochberg
 * across the features, or the prediction report's flag (as the guide alerts on either). Pure: it
 * turns a window and a profile into drift reports and metric points.
 *
 * <p>Metric points carry only the {@code ModelVersion} dimension; the reference version is in the
 * reports, not a dimension, because every new reference would start new CloudWatch series.
 */
public final class WindowDriftEvaluator {
    private final DriftRules rules;
    private final String namespace;

    public WindowDriftEvaluator(DriftRules rules, String namespace) {
        this.rules = rules;
        this.namespace = namespace;
    }

    /** Reports and metric points of one window. */
    public static final class Outcome {
        public final List<DriftReport> reports = new ArrayList<>();
        public final List<MetricPoint> metrics = new ArrayList<>();
    }

    /**
     * @param profile the reference for this model version, or null when there is none at all
     * @param referenceVersion the version of the profile's reference file
     */
    public Outcome evaluate(
            String modelVersion,
            long windowStart,
            long windowEnd,
            PaneSketch window,
            ModelProfile profile,
            String referenceVersion) {
        Outcome outcome = new Outcome();
        if (profile == null) {
            DriftReport report =
                    base(modelVersion, DriftReport.ALL_FEATURES, windowStart, windowEnd);
            report.test = DriftReport.NO_REFERENCE;
            report.statistic = Double.NaN;
            report.pValue = Double.NaN;
            report.effectSize = Double.NaN;
            report.nCurrent = window.events();
            report.severity = "low";
            outcome.reports.add(report);
            return outcome;
        }
        List<DriftReport> features = new ArrayList<>();
        for (Map.Entry<String, NumericProfile> e : profile.numericalFeatures.entrySet()) {
            EmpiricalCdf current = window.numericDistribution(e.getKey());
            if (current.isEmpty() || e.getValue().distribution.isEmpty()) {
                continue;
            }
            EmpiricalCdf reference = e.getValue().distribution;
            DriftReport r = base(modelVersion, e.getKey(), windowStart, windowEnd);
            r.test = DriftReport.KS;
            // A sampled window stands for all its values: the p-value takes their number.
            long n = window.numericCount(e.getKey());
            r.statistic = KsStatistic.statistic(reference, current);
            r.pValue = KsStatistic.pValue(r.statistic, reference.count(), n);
            r.effectSize = r.statistic;
            r.errorBound = KsStatistic.errorBound(reference, current);
            r.nReference = reference.count();
            r.nCurrent = n;
            r.psi = DistributionDistance.psi(reference, current);
            r.jensenShannon = DistributionDistance.jensenShannon(reference, current);
            features.add(r);
        }
        for (Map.Entry<String, CategoricalProfile> e : profile.categoricalFeatures.entrySet()) {
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
            long n = 0;
            for (long c : current.values()) {
                n += c;
            }
            r.nCurrent = n;
            features.add(r);
            OptionalDouble unseen = UnseenCategories.sharePercent(e.getValue().categories, current);
            if (unseen.isPresent()) {
                Map<String, String> dims = new TreeMap<>();
                dims.put(MetricNames.MODEL_VERSION, modelVersion);
                dims.put(MetricNames.FEATURE, e.getKey());
                outcome.metrics.add(
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
        double maxEffect = Double.NaN;
        int drifted = 0;
        double[] pValues = new double[features.size()];
        for (int i = 0; i < features.size(); i++) {
            DriftReport r = features.get(i);
            r.referenceVersion = referenceVersion;
            r.drifted = rules.drifted(r.pValue, r.effectSize);
            r.severity = DriftRules.severity(r.effectSize);
            drifted += r.drifted ? 1 : 0;
            maxEffect = Double.isNaN(maxEffect) ? r.effectSize : Math.max(maxEffect, r.effectSize);
            pValues[i] = r.pValue;
            outcome.metrics.add(
                    metric(
                            MetricNames.FEATURE_DRIFT_PREFIX + r.feature,
                            modelVersion,
                            r.effectSize,
                            windowStart,
                            windowEnd));
        }
        outcome.reports.addAll(features);
        DriftReport prediction =
                predictionReport(modelVersion, windowStart, windowEnd, window, profile.scores);
        if (!features.isEmpty()) {
            outcome.metrics.add(
                    metric(
                            MetricNames.FEATURE_DRIFT,
                            modelVersion,
                            maxEffect,
                            windowStart,
                            windowEnd));
            outcome.metrics.add(
                    metric(
                            MetricNames.DRIFTED_FEATURE_SHARE,
                            modelVersion,
                            (double) drifted / features.size(),
                            windowStart,
                            windowEnd));
            outcome.reports.add(
                    modelReport(
                            modelVersion,
                            windowStart,
                            windowEnd,
                            features,
                            pValues,
                            maxEffect,
                            window.events(),
                            referenceVersion,
                            prediction));
        }
        if (prediction != null) {
            prediction.referenceVersion = referenceVersion;
            outcome.reports.add(prediction);
            outcome.metrics.add(
                    metric(
                            MetricNames.PREDICTION_DRIFT,
                            modelVersion,
                            prediction.statistic,
                            windowStart,
                            windowEnd));
            outcome.metrics.add(
                    metric(
                            MetricNames.PREDICTION_MEAN_SHIFT,
                            modelVersion,
                            prediction.effectSize,
                            windowStart,
                            windowEnd));
            outcome.metrics.add(
                    metric(
                            MetricNames.PREDICTION_VARIANCE_CHANGE,
                            modelVersion,
                            prediction.varianceChange,
                            windowStart,
                            windowEnd));
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
            double[] pValues,
            double maxEffect,
            long events,
            String referenceVersion,
            DriftReport prediction) {
        boolean[] discovered = BenjaminiHochberg.reject(pValues, rules.alpha);
        int discoveries = 0;
        double minP = Double.NaN;
        for (int i = 0; i < features.size(); i++) {
            if (discovered[i] && features.get(i).effectSize >= rules.minEffectSize) {
                discoveries++;
            }
            if (!Double.isNaN(pValues[i])) {
                minP = Double.isNaN(minP) ? pValues[i] : Math.min(minP, pValues[i]);
            }
        }
        DriftReport r = base(modelVersion, DriftReport.MODEL, windowStart, windowEnd);
        r.test = DriftReport.BENJAMINI_HOCHBERG;
        r.statistic = discoveries;
        r.pValue = minP;
        r.effectSize = maxEffect;
        r.nCurrent = events;
        // The guide alerts on drifted features or drifted predictions; so does the model flag.
        r.drifted = discoveries > 0 || (prediction != null && prediction.drifted);
        r.severity = DriftRules.severity(maxEffect);
        r.referenceVersion = referenceVersion;
        return r;
    }

    private DriftReport predictionReport(
            String modelVersion,
            long windowStart,
            long windowEnd,
            PaneSketch window,
            NumericProfile scores) {
        EmpiricalCdf current = window.scoreDistribution();
        if (scores == null || scores.distribution.isEmpty() || current.isEmpty()) {
            return null;
        }
        Moments now = window.scoreMoments();
        DriftReport r = base(modelVersion, DriftReport.PREDICTION, windowStart, windowEnd);
        r.test = DriftReport.PREDICTION_KS;
        r.statistic = KsStatistic.statistic(scores.distribution, current);
        r.pValue =
                KsStatistic.pValue(r.statistic, scores.distribution.count(), window.scoreCount());
        r.errorBound = KsStatistic.errorBound(scores.distribution, current);
        r.nReference = scores.distribution.count();
        r.nCurrent = window.scoreCount();
        double sd = scores.standardDeviation;
        r.effectSize = sd > 0 ? Math.abs(now.mean() - scores.mean) / sd : Double.NaN;
        r.varianceChange = sd > 0 ? Math.abs(now.standardDeviation() - sd) / sd : Double.NaN;
        r.psi = DistributionDistance.psi(scores.distribution, current);
        r.jensenShannon = DistributionDistance.jensenShannon(scores.distribution, current);
        // The guide's rule (p < alpha or mean shift > 2), with the effect-size minimum on the KS
        // part for the same reason as on features: a large window makes every p small.
        r.drifted = rules.predictionDrifted(r.pValue, r.statistic, r.effectSize);
        r.retrainingRecommended = r.effectSize > rules.meanShiftRetrain;
        r.severity = DriftRules.severity(r.statistic);
        return r;
    }

    private static DriftReport base(String modelVersion, String feature, long start, long end) {
        DriftReport r = new DriftReport();
        r.modelVersion = modelVersion;
        r.feature = feature;
        r.windowStart = start;
        r.windowEnd = end;
        return r;
    }

    private MetricPoint metric(
            String name, String modelVersion, double value, long start, long end) {
        return new MetricPoint(
                namespace,
                name,
                Collections.singletonMap(MetricNames.MODEL_VERSION, modelVersion),
                value,
                "None",
                start,
                end);
    }
}
