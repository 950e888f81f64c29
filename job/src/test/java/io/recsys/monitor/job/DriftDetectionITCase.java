package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.generator.GeneratedEvent;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.drift.ChiSquareHomogeneity;
import io.recsys.monitor.operators.drift.KsStatistic;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.EventParser;
import io.recsys.monitor.operators.reference.FeatureValues;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.json.DriftReportJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift on the whole graph: a reference built by {@code reference build} from a day of the
 * generator's traffic, then the generator's feature-drift scenario, then a long run without drift.
 * Every feature report is checked against the exact tests on the raw events of its window.
 */
class DriftDetectionITCase {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY_1 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final long DAY_2 = DAY_1 + 24 * HOUR;
    static final long DRIFT_START = DAY_2 + 3 * HOUR;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path shared;
    static Path referenceFile;

    /** The reference day's raw prediction events, per model version. */
    static Map<String, List<PredictionEvent>> referenceEvents = new HashMap<>();

    @TempDir Path output;

    static List<String> traffic(long seed, long start, long hours, String scenarios) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("generator.seed", Long.toString(seed));
        raw.put("generator.start-time", Instant.ofEpochMilli(start).toString());
        // Predictions only: drift needs no feedback, and the runs stay small.
        raw.put("generator.impression-rate", "0");
        raw.put("generator.scenarios", scenarios);
        TrafficSimulator sim =
                new TrafficSimulator(
                        GeneratorSettings.fromConfig(MonitorConfig.defaults().with(raw)));
        List<String> lines = new ArrayList<>();
        while (sim.hasNext()) {
            GeneratedEvent e = sim.next();
            if (e.eventTime >= start + hours * HOUR) {
                break;
            }
            lines.add(e.json);
        }
        return lines;
    }

    static List<PredictionEvent> parse(List<String> lines) {
        EventParser parser = new EventParser(EventLimits.defaults());
        List<PredictionEvent> events = new ArrayList<>();
        for (String line : lines) {
            PredictionEvent p = parser.parse(line, "test", 0).prediction;
            if (p != null) {
                events.add(p);
            }
        }
        return events;
    }

    @BeforeAll
    static void buildReference() throws Exception {
        List<String> day = traffic(1, DAY_1, 24, "");
        Path input = shared.resolve("baseline.jsonl");
        Files.write(input, day, StandardCharsets.UTF_8);
        referenceFile = shared.resolve("references").resolve("baseline.json");
        int exit =
                RecsysMonitor.commandLine()
                        .execute(
                                "reference",
                                "build",
                                "--input",
                                input.toString(),
                                "--output",
                                referenceFile.toString(),
                                "--reference-version",
                                "baseline-day-1");
        assertThat(exit).isZero();
        for (PredictionEvent p : parse(day)) {
            referenceEvents.computeIfAbsent(p.modelVersion, m -> new ArrayList<>()).add(p);
        }
    }

    private List<DriftReport> run(List<String> lines) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("drift.reference", referenceFile.getParent().toString());
        // A bounded input: the reference directory is read once, not watched.
        settings.put("generator.max-events", "1");
        MonitorConfig config = MonitorConfig.defaults().with(settings);
        MonitoringJob.build(
                env, new FixedInput(lines, config), LocalOutputs.fresh(output, false), config);
        env.execute("drift-test");
        return Files.readAllLines(output.resolve(LocalOutputs.DRIFT_FILE)).stream()
                .map(DriftReportJson::decode)
                .collect(Collectors.toList());
    }

    private static double[] numbers(List<PredictionEvent> events, String feature) {
        return events.stream()
                .map(
                        e ->
                                feature == null
                                        ? FeatureValues.topScore(e)
                                        : FeatureValues.number(e, feature))
                .filter(v -> v != null)
                .mapToDouble(Double::doubleValue)
                .toArray();
    }

    private static Map<String, Long> categories(List<PredictionEvent> events, String feature) {
        Map<String, Long> counts = new HashMap<>();
        for (PredictionEvent e : events) {
            String c = FeatureValues.category(e, feature);
            if (c != null) {
                counts.merge(c, 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * The decision rule's significance level per test with the defaults, by hand: 0.01 false flags
     * per model version and day over 288 evaluations a day (every 5 minutes), 3 windows each (the
     * last 15 and 30 minutes and the full hour) and 10 tests (5 numerical features, 4 categorical
     * ones, the scores).
     */
    static final double TEST_ALPHA = 0.01 / (288.0 * 3 * 10);

    static final double MIN_DISTANCE = 0.03;

    private static final Map<String, double[]> REFERENCE_NUMBERS = new HashMap<>();
    private static final Map<String, Map<String, Long>> REFERENCE_CATEGORIES = new HashMap<>();

    private static double[] referenceNumbers(String model, String feature) {
        return REFERENCE_NUMBERS.computeIfAbsent(
                model + "/" + feature, k -> numbers(referenceEvents.get(model), feature));
    }

    private static Map<String, Long> referenceCategories(String model, String feature) {
        return REFERENCE_CATEGORIES.computeIfAbsent(
                model + "/" + feature, k -> categories(referenceEvents.get(model), feature));
    }

    /** The windows each evaluation tests, shortest first, as the rule names them. */
    static final long[] RULE_WINDOWS = {15 * MINUTE, 30 * MINUTE, HOUR};

    /**
     * Checks one feature report against the exact tests on the raw events of its windows and
     * returns the minutes of the shortest window that the rule flags on exact values: 0 when none
     * does, null when a KS decision lies within the reference's rank error of the rule's thresholds
     * (then the job may decide either way).
     */
    private static Integer checkAgainstExact(DriftReport r, List<PredictionEvent> events) {
        List<PredictionEvent> full = window(events, r.modelVersion, r.windowStart, r.windowEnd);
        if (r.test.equals(DriftReport.KS)) {
            double[] ref = referenceNumbers(r.modelVersion, r.feature);
            double[] cur = numbers(full, r.feature);
            double exact = KsStatistic.exactStatistic(ref, cur);
            assertThat(r.nCurrent).as(r.toString()).isEqualTo(cur.length);
            assertThat(Math.abs(r.statistic - exact))
                    .as(r.toString())
                    .isLessThanOrEqualTo(r.errorBound);
            assertThat(r.errorBound).isLessThan(0.01);
        } else {
            // Category counts are exact, so the test is the exact one.
            ChiSquareHomogeneity.Result exact =
                    ChiSquareHomogeneity.test(
                            referenceCategories(r.modelVersion, r.feature),
                            categories(full, r.feature));
            assertThat(r.statistic)
                    .as(r.toString())
                    .isCloseTo(
                            exact.statistic,
                            org.assertj.core.api.Assertions.within(
                                    1e-6 * Math.max(1, exact.statistic)));
            assertThat(r.effectSize)
                    .isCloseTo(exact.cramersV, org.assertj.core.api.Assertions.within(1e-12));
        }
        for (long length : RULE_WINDOWS) {
            long start = Math.max(r.windowStart, r.windowEnd - length);
            List<PredictionEvent> w = window(events, r.modelVersion, start, r.windowEnd);
            Boolean flags =
                    r.test.equals(DriftReport.KS)
                            ? ksFlags(
                                    referenceNumbers(r.modelVersion, r.feature),
                                    numbers(w, r.feature),
                                    r)
                            : chiSquareFlags(
                                    referenceCategories(r.modelVersion, r.feature),
                                    categories(w, r.feature));
            if (flags == null) {
                return null;
            }
            if (flags) {
                int minutes = (int) (length / MINUTE);
                assertThat(r.drifted).as("should drift: " + r).isTrue();
                assertThat(r.flaggedByMinutes).as(r.toString()).isEqualTo(minutes);
                return minutes;
            }
        }
        assertThat(r.drifted).as("should not drift: " + r).isFalse();
        return 0;
    }

    /**
     * The rule on exact values, D taken at both ends of the reference's rank error: true or false
     * when both ends agree, null when they do not.
     */
    private static Boolean ksFlags(double[] reference, double[] current, DriftReport r) {
        if (current.length == 0) {
            return false;
        }
        double d = KsStatistic.exactStatistic(reference, current);
        double low = Math.max(0, d - r.errorBound);
        double high = Math.min(1, d + r.errorBound);
        boolean surely =
                low >= MIN_DISTANCE
                        && KsStatistic.pValue(low, reference.length, current.length) < TEST_ALPHA;
        boolean possibly =
                high >= MIN_DISTANCE
                        && KsStatistic.pValue(high, reference.length, current.length) < TEST_ALPHA;
        return surely == possibly ? surely : null;
    }

    private static boolean chiSquareFlags(Map<String, Long> reference, Map<String, Long> current) {
        if (current.isEmpty()) {
            return false;
        }
        double p = ChiSquareHomogeneity.test(reference, current).pValue;
        return p < TEST_ALPHA && totalVariation(reference, current) >= MIN_DISTANCE;
    }

    /** Half the sum of the absolute differences of the category shares, by hand. */
    private static double totalVariation(Map<String, Long> a, Map<String, Long> b) {
        double na = a.values().stream().mapToLong(Long::longValue).sum();
        double nb = b.values().stream().mapToLong(Long::longValue).sum();
        java.util.Set<String> all = new java.util.HashSet<>(a.keySet());
        all.addAll(b.keySet());
        double sum = 0;
        for (String c : all) {
            sum += Math.abs(a.getOrDefault(c, 0L) / na - b.getOrDefault(c, 0L) / nb);
        }
        return sum / 2;
    }

    private static List<PredictionEvent> window(
            List<PredictionEvent> events, String model, long start, long end) {
        return events.stream()
                .filter(
                        e ->
                                model.equals(e.modelVersion)
                                        && e.eventTime >= start
                                        && e.eventTime < end)
                .collect(Collectors.toList());
    }

    @Test
    void detectsTheGeneratorsFeatureDriftInTheFirstSlideThatHoldsEnoughDriftedEvents()
            throws Exception {
        List<String> lines =
                traffic(2, DAY_2, 5, "feature-drift@" + Instant.ofEpochMilli(DRIFT_START));
        List<PredictionEvent> events = parse(lines);
        List<DriftReport> reports = run(lines);

        assertThat(reports).isNotEmpty();
        assertThat(reports)
                .allSatisfy(r -> assertThat(r.referenceVersion).isEqualTo("baseline-day-1"));
        int checked = 0;
        // Model and feature to the first window end after the drift start where the exact
        // tests on the raw window say "drifted".
        Map<String, Long> exactFirst = new HashMap<>();
        int undecided = 0;
        for (DriftReport r : reports) {
            if (r.test.equals(DriftReport.KS) || r.test.equals(DriftReport.CHI_SQUARE)) {
                Integer flaggedBy = checkAgainstExact(r, events);
                if (flaggedBy == null) {
                    undecided++;
                } else if (flaggedBy > 0 && r.windowEnd > DRIFT_START) {
                    exactFirst.merge(
                            r.modelVersion + "/" + r.feature, r.windowEnd - DRIFT_START, Math::min);
                }
                checked++;
            }
        }
        System.out.printf(
                "%d feature reports checked against the exact rule, %d within the reference's"
                        + " rank error of a threshold%n",
                checked, undecided);
        assertThat(undecided).isLessThan(checked / 20);
        assertThat(checked).isGreaterThan(100);
        // Before the drift starts no window drifts: the rule's budget is 0.01 false flags per
        // model version and day (expected 0.001 in these hours); the first windows, which hold
        // only minutes of traffic, are tested at the same small alpha.
        assertThat(reports)
                .filteredOn(r -> r.windowEnd <= DRIFT_START && r.windowStart >= DAY_2)
                .isNotEmpty()
                .noneMatch(r -> r.drifted);
        List<DriftReport> early =
                reports.stream()
                        .filter(r -> r.windowEnd <= DRIFT_START)
                        .filter(
                                r ->
                                        r.test.equals(DriftReport.KS)
                                                || r.test.equals(DriftReport.CHI_SQUARE))
                        .collect(Collectors.toList());
        assertThat(early).isNotEmpty().noneMatch(r -> r.drifted);
        for (String model : new String[] {"v1", "v2"}) {
            Map<String, Long> firstDrifted = new HashMap<>();
            for (DriftReport r : reports) {
                if (r.modelVersion.equals(model) && r.drifted && r.windowEnd > DRIFT_START) {
                    firstDrifted.merge(r.feature, r.windowEnd - DRIFT_START, Math::min);
                }
            }
            System.out.printf(
                    "detection delay, model %s, minutes after drift start: %s%n",
                    model,
                    firstDrifted.entrySet().stream()
                            .collect(
                                    Collectors.toMap(
                                            Map.Entry::getKey, e -> e.getValue() / MINUTE)));
            // Each feature is flagged in the first slide whose window holds enough drifted events
            // for the exact test; KS features may differ by one slide where the exact D is within
            // the sketch's error bound of 0.1.
            for (String feature : new String[] {"device", "country", "is_logged_in", "referrer"}) {
                assertThat(firstDrifted.get(feature))
                        .as(model + "/" + feature)
                        .isEqualTo(exactFirst.get(model + "/" + feature));
            }
            for (String feature :
                    new String[] {
                        "user_age",
                        "session_length_s",
                        "items_in_cart",
                        "days_since_last_visit",
                        "price_sensitivity"
                    }) {
                Long expected = exactFirst.get(model + "/" + feature);
                Long actual = firstDrifted.get(feature);
                if (expected == null || actual == null) {
                    assertThat(actual).as(model + "/" + feature).isEqualTo(expected);
                } else {
                    assertThat(Math.abs(actual - expected))
                            .as(model + "/" + feature)
                            .isLessThanOrEqualTo(5 * MINUTE);
                }
            }
            // The drifted features are the ones the scenario moves.
            assertThat(firstDrifted)
                    .containsKeys(
                            "device",
                            "user_age",
                            "session_length_s",
                            DriftReport.MODEL,
                            DriftReport.PREDICTION);
            // The model is flagged within two slides (10 min) of the drift start.
            assertThat(firstDrifted.get(DriftReport.MODEL)).isLessThanOrEqualTo(10 * MINUTE);
            assertThat(firstDrifted.get(DriftReport.PREDICTION)).isLessThanOrEqualTo(20 * MINUTE);
        }
        List<MetricPoint> metrics =
                Files.readAllLines(output.resolve(LocalOutputs.METRICS_FILE)).stream()
                        .map(MetricPointJson::decode)
                        .filter(
                                p ->
                                        p.metric.startsWith(MetricNames.FEATURE_DRIFT)
                                                || p.metric.startsWith("Prediction")
                                                || p.metric.equals(
                                                        MetricNames.DRIFTED_FEATURE_SHARE))
                        .collect(Collectors.toList());
        assertThat(metrics)
                .extracting(p -> p.metric)
                .contains(
                        "FeatureDrift_user_age",
                        "FeatureDrift_device",
                        MetricNames.FEATURE_DRIFT,
                        MetricNames.PREDICTION_DRIFT,
                        MetricNames.PREDICTION_MEAN_SHIFT,
                        MetricNames.PREDICTION_VARIANCE_CHANGE,
                        MetricNames.DRIFTED_FEATURE_SHARE);
        assertThat(metrics)
                .filteredOn(
                        p ->
                                p.metric.equals(MetricNames.FEATURE_DRIFT)
                                        && p.windowEnd == DRIFT_START + 2 * HOUR)
                .allSatisfy(p -> assertThat(p.value).isGreaterThan(0.3));

        // The scenario brings a device type the reference never saw (smart_tv, over 30 %): the
        // unseen-category share of device is 0 before and well above 0 an hour after the start.
        List<MetricPoint> unseenDevice =
                Files.readAllLines(output.resolve(LocalOutputs.METRICS_FILE)).stream()
                        .map(MetricPointJson::decode)
                        .filter(p -> p.metric.equals(MetricNames.UNSEEN_CATEGORY_SHARE))
                        .filter(p -> "device".equals(p.dimensions.get(MetricNames.FEATURE)))
                        .collect(Collectors.toList());
        assertThat(unseenDevice)
                .filteredOn(p -> p.windowEnd <= DRIFT_START && p.windowStart >= DAY_2)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.value).isZero());
        assertThat(unseenDevice)
                .filteredOn(p -> p.windowStart >= DRIFT_START)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.value).isGreaterThan(20.0));
    }

    @Test
    void featureDriftRaisesTheDriftAlarmsAndResolvesThemWhenItEnds() throws Exception {
        // Drift from 03:00 to 05:00. FeatureDrift arrives every 5 minutes over the trailing hour;
        // the alarm takes the Average of an hour's twelve points.
        List<String> lines =
                traffic(
                        2,
                        DAY_2,
                        8,
                        "feature-drift@"
                                + Instant.ofEpochMilli(DRIFT_START)
                                + "/"
                                + Instant.ofEpochMilli(DRIFT_START + 2 * HOUR));
        run(lines);
        List<Alert> alerts =
                Files.readAllLines(output.resolve(LocalOutputs.ALERTS_FILE)).stream()
                        .map(AlertJson::decode)
                        .collect(Collectors.toList());
        // By hand from the hourly means of the FeatureDrift points: about 0.34 in the hour ending
        // 04:00 (critical > 0.3), 0.54 in the next, then about 0.30 as the drifted events leave
        // the sliding window, and about 0.03 in the hour ending 07:00: resolved. The hour ending
        // 06:00 sits on the critical threshold, within the reference sketch's rank error, so
        // whether a version steps down to warning there is left open; each version is raised
        // once, critical, at 04:00, and resolved at 07:00, with nothing but a warning between.
        for (String version : List.of("v1", "v2")) {
            String series = "recommendation-model-drift-detected {ModelVersion=" + version + "} ";
            List<String> summaries =
                    alerts.stream()
                            .filter(a -> a.kind.equals("model-drift"))
                            .filter(a -> version.equals(a.dimensions.get("ModelVersion")))
                            .map(a -> AlertSummary.of(a, DAY_2, HOUR))
                            .collect(Collectors.toList());
            assertThat(summaries).as(version).isNotEmpty();
            assertThat(summaries.get(0)).isEqualTo(series + "ALARM/critical @4");
            assertThat(summaries.get(summaries.size() - 1)).matches(".* OK/\\w+ @7");
            assertThat(summaries.subList(1, summaries.size() - 1))
                    .allSatisfy(s -> assertThat(s).isEqualTo(series + "ALARM/warning @6"));
            assertThat(summaries).hasSizeLessThanOrEqualTo(3);
        }
        assertThat(alerts)
                .filteredOn(a -> a.kind.equals("model-drift") && a.notification.equals("raised"))
                .allSatisfy(
                        a -> {
                            assertThat(a.action).isEqualTo("trigger_retraining");
                            assertThat(a.priority).isEqualTo("P2");
                            assertThat(a.route).isEqualTo("ml");
                            assertThat(a.heldBackBy).isNull();
                        });
        // This traffic has no feedback at all: a P0 outage of the feedback stream, repeated after
        // 4 h, which holds back CTR alarms but not drift, which predictions alone feed.
        assertThat(alerts)
                .filteredOn(a -> a.kind.equals("data-outage"))
                .extracting(a -> a.dimensions + " " + a.notification + " " + a.priority)
                .containsExactly("{Stream=feedback} raised P0", "{Stream=feedback} repeat P0");
    }

    @Test
    void aLongRunWithoutDriftRaisesNoMoreFalseFlagsThanTheBudgetAllows() throws Exception {
        List<String> lines = traffic(3, DAY_2, 48, "");
        List<DriftReport> reports = run(lines);
        List<DriftReport> features =
                reports.stream()
                        .filter(
                                r ->
                                        r.test.equals(DriftReport.KS)
                                                || r.test.equals(DriftReport.CHI_SQUARE))
                        .collect(Collectors.toList());
        List<DriftReport> models =
                reports.stream()
                        .filter(r -> r.feature.equals(DriftReport.MODEL))
                        .collect(Collectors.toList());
        List<DriftReport> predictions =
                reports.stream()
                        .filter(r -> r.feature.equals(DriftReport.PREDICTION))
                        .collect(Collectors.toList());
        long featureAlarms = features.stream().filter(r -> r.drifted).count();
        long significant = features.stream().filter(r -> r.pValue < 0.05).count();
        long modelAlarms = models.stream().filter(r -> r.drifted).count();
        long predictionAlarms = predictions.stream().filter(r -> r.drifted).count();
        System.out.printf(
                "no-drift run: %d windows per model version, %d feature tests, %d with p < 0.05"
                        + " (%.4f), %d drifted; %d model-level flags; %d prediction flags%n",
                models.size() / 2,
                features.size(),
                significant,
                (double) significant / features.size(),
                featureAlarms,
                modelAlarms,
                predictionAlarms);
        // 48 h slide every 5 min: 587 windows per model version (576 + 11 trailing).
        assertThat(models.size()).isGreaterThan(2 * 570);
        // The guide's p < 0.05 holds for about 5 % of the tests; the rule's budget of 0.01 false
        // flags per model version and day expects 0.04 in these 2 days x 2 versions, and issue
        // 16 allows 1 in 7 days.
        assertThat((double) significant / features.size()).isBetween(0.02, 0.08);
        assertThat(modelAlarms).isLessThanOrEqualTo(1);
        // A model version is flagged exactly when one of its features or its scores is.
        java.util.Set<String> flaggedWindows =
                reports.stream()
                        .filter(r -> r.drifted && !r.feature.equals(DriftReport.MODEL))
                        .map(r -> r.modelVersion + "@" + r.windowEnd)
                        .collect(Collectors.toSet());
        assertThat(flaggedWindows).hasSize((int) modelAlarms);
        // And the drift alarms, on the hourly mean of FeatureDrift, stay quiet for 48 hours.
        assertThat(Files.readAllLines(output.resolve(LocalOutputs.ALERTS_FILE)))
                .map(AlertJson::decode)
                .filteredOn(a -> a.kind.equals("model-drift"))
                .isEmpty();
    }
}
