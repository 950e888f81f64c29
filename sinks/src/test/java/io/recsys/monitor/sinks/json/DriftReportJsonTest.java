package io.recsys.monitor.sinks.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DriftReport;
import org.junit.jupiter.api.Test;

class DriftReportJsonTest {

    static DriftReport ksReport() {
        DriftReport r = new DriftReport();
        r.modelVersion = "v1";
        r.feature = "user_age";
        r.test = DriftReport.KS;
        r.statistic = 0.21;
        r.pValue = 1e-40;
        r.effectSize = 0.21;
        r.nReference = 86_400;
        r.nCurrent = 1_800;
        r.errorBound = 0.0078;
        r.drifted = true;
        r.flaggedByMinutes = 15;
        r.severity = "medium";
        r.referenceVersion = "baseline";
        r.windowStart = 1_767_229_200_000L;
        r.windowEnd = 1_767_232_800_000L;
        r.psi = 0.3;
        r.jensenShannon = 0.2;
        return r;
    }

    @Test
    void writesTheIssueFieldsInSnakeCaseAndReadsThemBack() {
        DriftReport r = ksReport();
        String line = new DriftReportJson().encode(r);
        assertThat(line)
                .startsWith(
                        "{\"model_version\":\"v1\",\"feature\":\"user_age\",\"test\":\"ks\","
                                + "\"statistic\":0.21,\"p_value\":1.0E-40,\"effect_size\":0.21,"
                                + "\"n_reference\":86400,\"n_current\":1800,\"error_bound\":0.0078,"
                                + "\"drifted\":true,\"flagged_by_minutes\":15,"
                                + "\"severity\":\"medium\","
                                + "\"reference_version\":\"baseline\","
                                + "\"window_start\":\"2026-01-01T01:00:00.000Z\","
                                + "\"window_end\":\"2026-01-01T02:00:00.000Z\"")
                .contains("\"variance_change\":null")
                .doesNotContain("\n");
        assertThat(DriftReportJson.decode(line)).isEqualTo(r);
    }

    @Test
    void saysHowManyCategoriesTheChiSquareTestFolded() {
        DriftReport r = new DriftReport();
        r.modelVersion = "v1";
        r.feature = "device";
        r.test = DriftReport.CHI_SQUARE;
        r.severity = "low";
        r.foldedCategories = 3;
        String line = new DriftReportJson().encode(r);
        assertThat(line).endsWith(",\"folded_categories\":3}");
        assertThat(DriftReportJson.decode(line).foldedCategories).isEqualTo(3);
    }

    @Test
    void aNoReferenceReportHasNullNumbers() {
        DriftReport r = new DriftReport();
        r.modelVersion = "v2";
        r.feature = DriftReport.ALL_FEATURES;
        r.test = DriftReport.NO_REFERENCE;
        r.statistic = Double.NaN;
        r.pValue = Double.NaN;
        r.effectSize = Double.NaN;
        r.severity = "low";
        String line = new DriftReportJson().encode(r);
        assertThat(line)
                .contains("\"p_value\":null")
                .contains("\"reference_version\":null")
                .contains("\"drifted\":false,\"flagged_by_minutes\":0,");
        assertThat(DriftReportJson.decode(line)).isEqualTo(r);
    }
}
