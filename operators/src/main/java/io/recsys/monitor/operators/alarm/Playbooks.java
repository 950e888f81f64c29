package io.recsys.monitor.operators.alarm;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The response steps of the operations guide's incident playbooks, by incident kind, so that every
 * alert tells the person who receives it what to do first. "High Error Rate (P1)" and "Model
 * Performance Degradation (P2)" are the guide's text; the other kinds are written in the same form
 * from the guide's auto-remediation, drift and data-quality sections.
 */
public final class Playbooks {
    private static final Map<String, List<String>> STEPS = new HashMap<>();

    static {
        STEPS.put(
                "high-error-rate",
                Arrays.asList(
                        "Investigate (0-5 min): check the operations dashboard for error patterns;"
                                + " review recent deployments; check the AWS service health dashboard",
                        "Mitigate (5-15 min): if recent deployment, roll back to the previous version;"
                                + " if SageMaker endpoint issue, switch to the fallback model; if Lambda"
                                + " issue, increase concurrency or memory",
                        "Resolve (15-60 min): identify the root cause; apply a permanent fix; monitor"
                                + " for 30 minutes",
                        "Post-incident (24 hours): write the incident report; update runbooks;"
                                + " implement preventive measures"));
        STEPS.put(
                "model-performance-degradation",
                Arrays.asList(
                        "Validate (0-30 min): confirm the metric drop is statistically significant;"
                                + " check if it affects all user segments; review recent model changes",
                        "Investigate (30-120 min): analyze the prediction distribution; check for data"
                                + " quality issues; review feature drift metrics",
                        "Mitigate (2-4 hours): roll back to the previous model if recently deployed;"
                                + " trigger the retraining pipeline; adjust the traffic split to the"
                                + " champion model",
                        "Monitor (24-48 hours): track recovery of the metrics; validate the new model's"
                                + " performance"));
        STEPS.put(
                "model-drift",
                Arrays.asList(
                        "Investigate: review the FeatureDrift_<feature> metrics to find the drifted"
                                + " features; analyze the prediction distribution (PredictionDrift,"
                                + " PredictionMeanShift)",
                        "Check for data quality issues upstream (missing features, invalid events)",
                        "Mitigate: trigger the retraining pipeline on recent data",
                        "Monitor CTR and conversion of the retrained model for 24-48 hours"));
        STEPS.put(
                "high-latency",
                Arrays.asList(
                        "Investigate (0-5 min): check the latency percentiles on the operations"
                                + " dashboard; review recent deployments and traffic (RequestsPerSecond)",
                        "Mitigate (5-15 min): increase Lambda memory or concurrency, scale the"
                                + " SageMaker endpoint",
                        "Resolve: identify the slow dependency (model, feature store); monitor for 30"
                                + " minutes"));
        STEPS.put(
                "data-outage",
                Arrays.asList(
                        "Verify the data pipeline: are prediction and feedback events still produced"
                                + " and delivered (EventVolume, EventLagSeconds per stream)?",
                        "Check the producers, the Kinesis streams and the job's source for errors",
                        "Downstream alarms (CTR, drift) are held back during the outage; re-check them"
                                + " when data flows again"));
        STEPS.put(
                "data-quality",
                Arrays.asList(
                        "Find the source: FeatureMissingRate per Feature, InvalidEvents and"
                                + " ValidityViolations per Rule, and dead-letter.jsonl (or the"
                                + " dead-letter log) for the rejected events and their reasons",
                        "Check recent changes to the producers, the event schema and the feature"
                                + " store",
                        "Treat drift and model alarms of the same hours with suspicion: bad inputs"
                                + " move them too",
                        "Fix upstream; replay the dead letters if the events matter"));
        STEPS.put(
                "dimension-cardinality",
                Arrays.asList(
                        "Find the dimension: FoldedDimensionValues per Dimension says whether model"
                                + " versions, user segments or feature names are beyond their cap;"
                                + " the series under \"other\" show what they carry",
                        "Check the producers: a model version, segment or feature name per request"
                                + " (an id, a timestamp, a hash) is a bug upstream; fix it there",
                        "If the values are real, raise dimensions.max-model-versions,"
                                + " dimensions.max-segments or dimensions.max-feature-names and"
                                + " restart from a savepoint; state and CloudWatch series grow with it",
                        "Until then, per-version and per-segment metrics, drift and alarms cover only"
                                + " the kept values; \"other\" raises no alarm of its own, the overall"
                                + " series still cover all traffic"));
        STEPS.put(
                "service-outage",
                Arrays.asList(
                        "Page the on-call engineer immediately (P0 response time < 15 minutes)",
                        "Check the operations dashboard, recent deployments and the AWS service health"
                                + " dashboard",
                        "Roll back the last deployment or fail over to the fallback model"));
    }

    private Playbooks() {}

    /** The steps for {@code kind}; empty for a kind without a playbook. */
    public static List<String> steps(String kind) {
        return Collections.unmodifiableList(STEPS.getOrDefault(kind, Collections.emptyList()));
    }

    /** The kinds that have a playbook. */
    public static java.util.Set<String> kinds() {
        return Collections.unmodifiableSet(STEPS.keySet());
    }
}
