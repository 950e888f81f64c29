package io.recsys.monitor.job.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.config.AlarmDefinition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DashboardDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static String metric(String name, String dimensions, String time, double value) {
        return "{'metric':'"
                + name
                + "','dimensions':{"
                + dimensions
                + "},'timestamp':'"
                + time
                + "','value':"
                + value
                + ",'unit':'Percent'}";
    }

    @Test
    void seriesPerModelVersionAndOverallWithoutSegments() throws Exception {
        DashboardData data = new DashboardData(AlarmCatalog.defaults());
        data.addMetric(json(metric("CTR", "", "2026-01-01T01:00:00Z", 3.4)));
        data.addMetric(json(metric("CTR", "'ModelVersion':'v1'", "2026-01-01T01:00:00Z", 3.1)));
        data.addMetric(json(metric("CTR", "'ModelVersion':'v1'", "2026-01-01T02:00:00Z", 1.5)));
        data.addMetric(
                json(
                        metric(
                                "CTR",
                                "'ModelVersion':'v1','UserSegment':'premium'",
                                "2026-01-01T01:00:00Z",
                                9.0)));

        JsonNode ctr = data.toJson().path("metrics").path("CTR");

        assertThat(ctr.path("unit").asText()).isEqualTo("Percent");
        assertThat(ctr.path("series").size()).isEqualTo(2);
        assertThat(ctr.path("series").path("all").toString())
                .isEqualTo("[[" + ms("2026-01-01T01:00:00Z") + ",3.4]]");
        assertThat(ctr.path("series").path("v1").toString())
                .isEqualTo(
                        "[["
                                + ms("2026-01-01T01:00:00Z")
                                + ",3.1],["
                                + ms("2026-01-01T02:00:00Z")
                                + ",1.5]]");
        assertThat(data.records()).isEqualTo(3);
    }

    @Test
    void aCorrectedWindowReplacesItsEarlierValue() throws Exception {
        DashboardData data = new DashboardData(AlarmCatalog.defaults());
        data.addMetric(json(metric("CTR", "", "2026-01-01T01:00:00Z", 3.4)));
        data.addMetric(json(metric("CTR", "", "2026-01-01T01:00:00Z", 3.2)));

        assertThat(data.toJson().at("/metrics/CTR/series/all").toString())
                .isEqualTo("[[" + ms("2026-01-01T01:00:00Z") + ",3.2]]");
    }

    @Test
    void thresholdsAreTheAlarmCatalogs() {
        AlarmDefinition lowCtr = AlarmCatalog.defaults().alarm("recommendation-low-ctr");
        JsonNode thresholds =
                new DashboardData(AlarmCatalog.defaults()).toJson().path("thresholds");

        JsonNode ctr = null;
        for (JsonNode t : thresholds) {
            if (t.path("alarm").asText().equals("recommendation-low-ctr")) {
                ctr = t;
            }
        }
        assertThat(ctr).isNotNull();
        assertThat(ctr.path("metric").asText()).isEqualTo("CTR");
        assertThat(ctr.path("warning").asDouble()).isEqualTo(lowCtr.warningThreshold());
        assertThat(ctr.path("critical").asDouble()).isEqualTo(lowCtr.criticalThreshold());
        assertThat(ctr.path("lower_is_worse").asBoolean()).isTrue();
        // A changed definition changes the band: the page draws what the alarm engine uses.
        AlarmCatalog changed =
                AlarmCatalog.defaults().with(lowCtr.toBuilder().warningThreshold(2.8).build());
        assertThat(new DashboardData(changed).toJson().path("thresholds").toString())
                .contains(
                        "\"alarm\":\"recommendation-low-ctr\",\"metric\":\"CTR\",\"lower_is_worse\":true,\"warning\":2.8");
    }

    @Test
    void alertsBecomeTimelineEntriesWithWhatHappened() throws Exception {
        DashboardData data = new DashboardData(AlarmCatalog.defaults());
        data.addAlert(
                json(
                        "{'alarm_name':'recommendation-low-ctr','severity':'critical','priority':'P2',"
                                + "'state':'ALARM','previous_state':'OK','notification':'raised','metric':'CTR',"
                                + "'dimensions':{'ModelVersion':'v2'},'value':1.46,'threshold':2.0,"
                                + "'time':'2026-01-01T06:00:00.000Z','summary':'CTR low',"
                                + "'runbook':['Check the model','Roll back']}"));
        data.addAlert(
                json(
                        "{'alarm_name':'recommendation-low-ctr','severity':'critical','state':'OK',"
                                + "'metric':'CTR','dimensions':{},'time':'2026-01-01T09:00:00Z'}"));
        data.addAlert(
                json(
                        "{'alarm_name':'recommendation-low-conversion-rate','severity':'warning','state':'ALARM',"
                                + "'notification':'raised','held_back_by':'recommendation-low-ctr',"
                                + "'metric':'ConversionRate','dimensions':{},'time':'2026-01-01T07:00:00Z'}"));

        JsonNode alerts = data.toJson().path("alerts");

        assertThat(alerts).hasSize(3);
        JsonNode raised = alerts.get(0);
        assertThat(raised.path("event").asText()).isEqualTo("raised");
        assertThat(raised.path("time").asLong()).isEqualTo(ms("2026-01-01T06:00:00Z"));
        assertThat(raised.path("series").asText()).isEqualTo("ModelVersion=v2");
        assertThat(raised.path("priority").asText()).isEqualTo("P2");
        assertThat(raised.path("summary").asText()).isEqualTo("CTR low");
        assertThat(raised.path("runbook").toString())
                .isEqualTo("[\"Check the model\",\"Roll back\"]");
        assertThat(alerts.get(1).path("event").asText()).isEqualTo("held back");
        assertThat(alerts.get(2).path("event").asText()).isEqualTo("resolved");
        assertThat(alerts.get(2).path("series").asText()).isEqualTo("overall");
    }

    @Test
    void driftReportsBecomeCellsOfTheirModelVersion() throws Exception {
        DashboardData data = new DashboardData(AlarmCatalog.defaults());
        data.addDrift(
                json(
                        "{'model_version':'v1','feature':'user_age','test':'ks','statistic':0.21,"
                                + "'p_value':1e-9,'effect_size':0.21,'drifted':true,"
                                + "'window_end':'2026-01-01T04:00:00Z'}"));
        data.addDrift(
                json(
                        "{'model_version':'v1','feature':'device','test':'chi-square','statistic':88.5,"
                                + "'p_value':0.5,'effect_size':0.04,'drifted':false,"
                                + "'window_end':'2026-01-01T04:00:00Z'}"));
        data.addDrift(
                json(
                        "{'model_version':'v2','feature':'_all','test':'no-reference','statistic':null,"
                                + "'window_end':'2026-01-01T04:00:00Z'}"));

        JsonNode drift = data.toJson().path("drift");

        assertThat(drift.fieldNames()).toIterable().containsExactly("v1");
        long end = ms("2026-01-01T04:00:00Z");
        // window end, distance (KS D; Cramer's V for chi-square), drifted, statistic, p-value
        assertThat(drift.at("/v1/user_age").toString())
                .isEqualTo("[[" + end + ",0.21,1,0.21,1.0E-9]]");
        assertThat(drift.at("/v1/device").toString()).isEqualTo("[[" + end + ",0.04,0,88.5,0.5]]");
    }

    @Test
    void deadLettersAreCountedByCategoryAndTheCommonestReasons() throws Exception {
        DashboardData data = new DashboardData(AlarmCatalog.defaults());
        for (int reason = 0; reason < DashboardData.MAX_REASONS + 3; reason++) {
            for (int i = 0; i <= reason; i++) {
                data.addDeadLetter(
                        json("{'reason':'reason " + reason + "','category':'invalid_value'}"));
            }
        }
        data.addDeadLetter(json("{'reason':'bad json','category':'invalid_json'}"));

        JsonNode deadLetters = data.toJson().path("dead_letters");

        assertThat(deadLetters.at("/by_category/invalid_json").asLong()).isEqualTo(1);
        JsonNode reasons = deadLetters.path("by_reason");
        assertThat(reasons.size()).isEqualTo(DashboardData.MAX_REASONS + 1);
        assertThat(reasons.path("reason 17").asLong()).isEqualTo(18);
        // Reasons 0 to 2 (1, 2 and 3 lines) and "bad json" (1) are the rarest.
        assertThat(reasons.path("other").asLong()).isEqualTo(1 + 2 + 3 + 1);
    }

    @Test
    void valuesKeepSixSignificantDigits() {
        assertThat(DashboardData.round(1.5448897929924)).isEqualTo(1.54489);
        assertThat(DashboardData.round(105.69999694824219)).isEqualTo(105.7);
        assertThat(DashboardData.round(0)).isEqualTo(0.0);
    }
}
