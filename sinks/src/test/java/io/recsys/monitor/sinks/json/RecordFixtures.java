package io.recsys.monitor.sinks.json;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Records that take every branch of the encoders: unset fields, non-finite numbers, hostile text.
 */
final class RecordFixtures {
    static final long T = 1_767_229_200_007L;

    static List<MetricPoint> points() {
        MetricPoint mean =
                new MetricPoint(
                                "RecSys/Monitor",
                                "LatencyMean",
                                Map.of("ModelVersion", "v1", "Segment", "new_users"),
                                123456789.125,
                                "Milliseconds",
                                T - 300_000,
                                T)
                        .withEvidence(200, 0.75);
        MetricPoint empty =
                new MetricPoint("RecSys/Monitor", "CTR", Map.of(), Double.NaN, "Percent", 0, T);
        empty.dimensions = null;
        empty.samples = -1;
        MetricPoint tiny =
                new MetricPoint("RecSys/Monitor", "CTR", Map.of("k", "é\u202e"), 1e-7, null, T, T)
                        .withEvidence(0, Double.POSITIVE_INFINITY);
        return Arrays.asList(mean, empty, tiny);
    }

    static List<Alert> alerts() {
        Alert engine = AlertJsonEngineFieldsTest.engineAlert();
        Alert first = new Alert();
        first.alarmName = "error-rate";
        first.severity = "warning";
        first.state = "OK";
        first.metric = "ErrorRate";
        first.value = Double.POSITIVE_INFINITY;
        first.threshold = Double.NaN;
        first.time = 0;
        first.reason = "line\nbreak \ud800 \u0007";
        first.heldBackSince = T;
        return Arrays.asList(engine, first);
    }

    static List<DriftReport> driftReports() {
        DriftReport ks = DriftReportJsonTest.ksReport();
        DriftReport none = new DriftReport();
        none.modelVersion = "v9";
        none.feature = DriftReport.ALL_FEATURES;
        none.test = DriftReport.NO_REFERENCE;
        none.statistic = Double.NaN;
        none.pValue = Double.NEGATIVE_INFINITY;
        none.effectSize = -0.0;
        none.severity = "low";
        none.retrainingRecommended = true;
        none.varianceChange = 1e21;
        none.foldedCategories = 3;
        return Arrays.asList(ks, none);
    }

    static List<DeadLetter> deadLetters() {
        DeadLetter bytes =
                new DeadLetter(
                        DeadLetter.Reason.INVALID_JSON,
                        "not JSON: \"{\"",
                        "{\u0000\u007f\u0085\u200b\ud83d\ude00\udc00",
                        "file:/tmp/in.jsonl",
                        T);
        bytes.rawBase64 = "AP8=";
        DeadLetter plain =
                new DeadLetter(DeadLetter.Reason.MISSING_FIELD, "missing 'x'", null, null, T);
        return Arrays.asList(bytes, plain);
    }
}
