package io.recsys.monitor.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * An alarm over other alarms' states, like CloudWatch's composite alarm: it is in ALARM while its
 * {@link AlarmRule} holds, e.g. {@code ALARM("recommendation-model-drift-detected") AND
 * ALARM("recommendation-ctr-drop")} (model degradation: the inputs moved and the outcome fell).
 *
 * <p>The engine evaluates a composite per model version: a child alarm counts as in a state for
 * version v when any of its series with {@code ModelVersion=v} is in that state; series without a
 * model version form the scope of the overall traffic. A composite has one severity.
 */
public final class CompositeAlarmDefinition implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final AlarmRule rule;
    private final String description;
    private final String severity;
    private final String priority;
    private final String route;
    private final String action;
    private final String kind;

    public CompositeAlarmDefinition(
            String name,
            AlarmRule rule,
            String description,
            String severity,
            String priority,
            String route,
            String action,
            String kind) {
        this.name = Objects.requireNonNull(name, "name");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.description = description == null ? name : description;
        this.severity = severity;
        this.priority = priority;
        this.route = route;
        this.action = action;
        this.kind = kind;
        if (!"warning".equals(severity) && !"critical".equals(severity)) {
            throw invalid("severity must be warning or critical");
        }
        if (priority == null || !priority.matches("P[0-3]")) {
            throw invalid("priority must be one of P0, P1, P2, P3");
        }
        if (!AlarmDefinition.ROUTES.contains(route)) {
            throw invalid("route '" + route + "' is not one of " + AlarmDefinition.ROUTES);
        }
        if (!AlarmDefinition.ACTIONS.contains(action)) {
            throw invalid("action '" + action + "' is not one of " + AlarmDefinition.ACTIONS);
        }
    }

    private ConfigException invalid(String what) {
        return new ConfigException("Composite alarm '" + name + "': " + what);
    }

    public String name() {
        return name;
    }

    public AlarmRule rule() {
        return rule;
    }

    public String description() {
        return description;
    }

    public String severity() {
        return severity;
    }

    public String priority() {
        return priority;
    }

    public String route() {
        return route;
    }

    public String action() {
        return action;
    }

    public String kind() {
        return kind;
    }
}
