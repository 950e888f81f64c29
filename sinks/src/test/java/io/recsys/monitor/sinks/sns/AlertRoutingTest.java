package io.recsys.monitor.sinks.sns;

import static io.recsys.monitor.sinks.sns.SnsTestAlerts.CRITICAL;
import static io.recsys.monitor.sinks.sns.SnsTestAlerts.ML;
import static io.recsys.monitor.sinks.sns.SnsTestAlerts.WARNING;
import static io.recsys.monitor.sinks.sns.SnsTestAlerts.routing;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.Alert;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRoutingTest {

    private final AlertRouting routing = routing();

    @Test
    void knownRoutesGoToTheirTopic() {
        assertThat(routing.topicFor(alert("critical", "warning"))).isEqualTo(CRITICAL);
        assertThat(routing.topicFor(alert("warning", "critical"))).isEqualTo(WARNING);
        assertThat(routing.topicFor(alert("ml", "critical"))).isEqualTo(ML);
    }

    @Test
    void unknownRouteGoesBySeverity() {
        assertThat(routing.topicFor(alert("pager", "critical"))).isEqualTo(CRITICAL);
        assertThat(routing.topicFor(alert(null, "critical"))).isEqualTo(CRITICAL);
        assertThat(routing.topicFor(alert("Critical", "warning"))).isEqualTo(WARNING);
        assertThat(routing.topicFor(alert(null, null))).isEqualTo(WARNING);
    }

    @Test
    void namesTheConfigurationKeysOfATopic() {
        assertThat(routing.configKeysOf(ML)).isEqualTo("sns.ml-topic-arn");
        assertThat(new AlertRouting(CRITICAL, CRITICAL, ML).configKeysOf(CRITICAL))
                .isEqualTo("sns.critical-topic-arn and sns.warning-topic-arn");
        assertThat(routing.configKeysOf("arn:other")).contains("no sns.*-topic-arn key");
    }

    @Test
    void readsTheTopicsFromConfiguration() {
        MonitorConfig config =
                MonitorConfig.of(
                        Map.of(
                                "sns.critical-topic-arn", CRITICAL,
                                "sns.warning-topic-arn", WARNING,
                                "sns.ml-topic-arn", ML));
        AlertRouting fromConfig = AlertRouting.fromConfig(config);
        assertThat(fromConfig.criticalTopicArn()).isEqualTo(CRITICAL);
        assertThat(fromConfig.warningTopicArn()).isEqualTo(WARNING);
        assertThat(fromConfig.mlTopicArn()).isEqualTo(ML);
    }

    private static Alert alert(String route, String severity) {
        Alert alert = new Alert();
        alert.route = route;
        alert.severity = severity;
        return alert;
    }
}
