package io.recsys.monitor.sinks.sns;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.Alert;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which SNS topic an alert goes to, from its {@link Alert#route}: {@code critical} to the critical
 * topic, {@code warning} to the warning topic, {@code ml} to the ML topic.
 *
 * <p>An alert with any other route (or none) is routed by its severity instead: {@code critical} to
 * the critical topic, anything else to the warning topic. An alarm definition with a mistyped route
 * thus still pages someone, and a critical one still wakes the on-call rather than landing on a
 * quieter topic.
 *
 * <p>It also knows which configuration key holds each topic, so that an error about a topic can say
 * what to fix.
 */
public final class AlertRouting implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String criticalTopicArn;
    private final String warningTopicArn;
    private final String mlTopicArn;

    public AlertRouting(String criticalTopicArn, String warningTopicArn, String mlTopicArn) {
        this.criticalTopicArn = Objects.requireNonNull(criticalTopicArn, "criticalTopicArn");
        this.warningTopicArn = Objects.requireNonNull(warningTopicArn, "warningTopicArn");
        this.mlTopicArn = Objects.requireNonNull(mlTopicArn, "mlTopicArn");
    }

    /**
     * The topics of {@code sns.critical-topic-arn}, {@code sns.warning-topic-arn}, {@code
     * sns.ml-topic-arn}.
     */
    public static AlertRouting fromConfig(MonitorConfig config) {
        return new AlertRouting(
                config.get(Settings.SNS_CRITICAL_TOPIC_ARN),
                config.get(Settings.SNS_WARNING_TOPIC_ARN),
                config.get(Settings.SNS_ML_TOPIC_ARN));
    }

    /** The ARN of the topic {@code alert} goes to. */
    public String topicFor(Alert alert) {
        if ("critical".equals(alert.route)) {
            return criticalTopicArn;
        }
        if ("warning".equals(alert.route)) {
            return warningTopicArn;
        }
        if ("ml".equals(alert.route)) {
            return mlTopicArn;
        }
        return "critical".equals(alert.severity) ? criticalTopicArn : warningTopicArn;
    }

    /**
     * The configuration keys that name {@code topicArn}, e.g. {@code sns.critical-topic-arn} (more
     * than one when topics are shared), or a note when no key does.
     */
    public String configKeysOf(String topicArn) {
        List<String> keys = new ArrayList<>();
        if (criticalTopicArn.equals(topicArn)) {
            keys.add(Settings.SNS_CRITICAL_TOPIC_ARN.key());
        }
        if (warningTopicArn.equals(topicArn)) {
            keys.add(Settings.SNS_WARNING_TOPIC_ARN.key());
        }
        if (mlTopicArn.equals(topicArn)) {
            keys.add(Settings.SNS_ML_TOPIC_ARN.key());
        }
        return keys.isEmpty() ? "(no sns.*-topic-arn key names it)" : String.join(" and ", keys);
    }

    public String criticalTopicArn() {
        return criticalTopicArn;
    }

    public String warningTopicArn() {
        return warningTopicArn;
    }

    public String mlTopicArn() {
        return mlTopicArn;
    }

    /** The three ARNs, for checks that apply to every topic. */
    List<String> topicArns() {
        List<String> arns = new ArrayList<>();
        arns.add(criticalTopicArn);
        arns.add(warningTopicArn);
        arns.add(mlTopicArn);
        return arns;
    }

    @Override
    public String toString() {
        return "AlertRouting{critical="
                + criticalTopicArn
                + ", warning="
                + warningTopicArn
                + ", ml="
                + mlTopicArn
                + "}";
    }
}
