package io.recsys.monitor.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * An alarm on one metric in the CloudWatch sense: a comparison against a warning and a critical
 * threshold, evaluated over the last N periods, raised when M of them breach.
 */
public final class AlarmDefinition implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a datapoint is compared with a threshold. */
    public enum Comparison {
        LESS_THAN("<"),
        GREATER_THAN(">");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public boolean breaches(double value, double threshold) {
            return this == LESS_THAN ? value < threshold : value > threshold;
        }

        public String symbol() {
            return symbol;
        }
    }

    private final String name;
    private final String metric;
    private final Comparison comparison;
    private final double warningThreshold;
    private final double criticalThreshold;
    private final long periodMillis;
    private final int evaluationPeriods;
    private final int datapointsToAlarm;
    private final String route;
    private final String description;
    private final ArrayList<String> dimensionSets;

    public AlarmDefinition(
            String name,
            String metric,
            Comparison comparison,
            double warningThreshold,
            double criticalThreshold,
            long periodMillis,
            int evaluationPeriods,
            int datapointsToAlarm,
            String route,
            String description,
            List<String> dimensionSets) {
        if (evaluationPeriods < 1
                || datapointsToAlarm < 1
                || datapointsToAlarm > evaluationPeriods) {
            throw new ConfigException(
                    "Alarm '"
                            + name
                            + "': datapoints to alarm ("
                            + datapointsToAlarm
                            + ") must be between 1 and the evaluation periods ("
                            + evaluationPeriods
                            + ")");
        }
        if (periodMillis <= 0) {
            throw new ConfigException("Alarm '" + name + "': period must be positive");
        }
        this.name = Objects.requireNonNull(name);
        this.metric = Objects.requireNonNull(metric);
        this.comparison = Objects.requireNonNull(comparison);
        this.warningThreshold = warningThreshold;
        this.criticalThreshold = criticalThreshold;
        this.periodMillis = periodMillis;
        this.evaluationPeriods = evaluationPeriods;
        this.datapointsToAlarm = datapointsToAlarm;
        this.route = Objects.requireNonNull(route);
        this.description = Objects.requireNonNull(description);
        this.dimensionSets = new ArrayList<>(dimensionSets);
    }

    public String name() {
        return name;
    }

    public String metric() {
        return metric;
    }

    public Comparison comparison() {
        return comparison;
    }

    public double warningThreshold() {
        return warningThreshold;
    }

    public double criticalThreshold() {
        return criticalThreshold;
    }

    public long periodMillis() {
        return periodMillis;
    }

    public int evaluationPeriods() {
        return evaluationPeriods;
    }

    public int datapointsToAlarm() {
        return datapointsToAlarm;
    }

    /** Which topic the alerts of this alarm go to: critical, warning or ml. */
    public String route() {
        return route;
    }

    public String description() {
        return description;
    }

    /**
     * The dimension sets this alarm watches, each the comma-joined sorted dimension names of a
     * series ("" for overall, "ModelVersion", "ModelVersion,UserSegment").
     */
    public List<String> dimensionSets() {
        return dimensionSets;
    }

    /** Whether a series with these dimension names is watched by this alarm. */
    public boolean watches(String metricName, Collection<String> sortedDimensionNames) {
        return metric.equals(metricName)
                && dimensionSets.contains(String.join(",", sortedDimensionNames));
    }
}
