package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.config.CompositeAlarmDefinition;
import io.recsys.monitor.config.InhibitionRule;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricNames;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The second stage of the alarm engine, as pure code: it takes the state transitions of all alarm
 * series that happened at one event time and decides what people are told.
 *
 * <ul>
 *   <li>Only news is published: raised, escalated, de-escalated, resolved, flapping (always, as its
 *       state may be the one people were told), and repeats of a critical alarm. Changes between OK
 *       and INSUFFICIENT_DATA are kept for the composite rules only. While a series flaps its first
 *       stage holds its news ({@link FlapDetector}), so composites and inhibitions see it in the
 *       state its flapping alert told until it settles.
 *   <li>Inhibition: while a source of an {@link InhibitionRule} is in ALARM (at the rule's
 *       severity), news of its targets is held back. When the hold ends, each held series whose
 *       state still differs from what people were last told alerts once, saying it was held back by
 *       the rule and since when; a series that went back to its told state stays silent.
 *   <li>Composite alarms: evaluated after the transitions of the time, per scope (model version).
 * </ul>
 *
 * <p>Within one time, sources of inhibitions are applied first, so that an outage and the CTR drop
 * it causes in the same period are published as the outage alone.
 */
public final class AlarmCoordinator implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ArrayList<CompositeAlarmDefinition> composites;
    private final ArrayList<InhibitionRule> inhibitions;
    private final HashSet<String> sources = new HashSet<>();

    public AlarmCoordinator(AlarmCatalog catalog) {
        this.composites = new ArrayList<>(catalog.composites());
        this.inhibitions = new ArrayList<>(catalog.inhibitions());
        for (InhibitionRule r : inhibitions) {
            sources.addAll(r.sources());
        }
    }

    /** Processes the transitions of event time {@code time}; returns the alerts to publish. */
    public List<Alert> process(IncidentState st, List<Alert> transitions, long time) {
        List<Alert> out = new ArrayList<>();
        Map<String, String> activeBefore = activeInhibitions(st);
        List<Alert> ordered = new ArrayList<>(transitions);
        ordered.sort(
                Comparator.comparing((Alert a) -> sources.contains(a.alarmName) ? 0 : 1)
                        .thenComparing(a -> a.deduplicationKey));
        for (Alert a : ordered) {
            SeriesStatus s = update(st, a);
            gate(st, s, a, out);
        }
        for (Alert a : evaluateComposites(st, time)) {
            gate(st, update(st, a), a, out);
        }
        release(st, activeBefore, time, out);
        return out;
    }

    private SeriesStatus update(IncidentState st, Alert a) {
        SeriesStatus s = st.series.get(a.deduplicationKey);
        if (s == null) {
            s = new SeriesStatus();
            s.alarmName = a.alarmName;
            s.scope = scopeOf(a);
            st.series.put(a.deduplicationKey, s);
        }
        if (!"repeat".equals(a.notification)) {
            s.state = a.state;
            s.severity = a.severity;
            s.latest = a;
        }
        return s;
    }

    private static String scopeOf(Alert a) {
        String v = a.dimensions == null ? null : a.dimensions.get(MetricNames.MODEL_VERSION);
        return v == null ? "" : v;
    }

    private void gate(IncidentState st, SeriesStatus s, Alert a, List<Alert> out) {
        String inhibitor = inhibitorOf(st, a.alarmName);
        if ("repeat".equals(a.notification)) {
            if (inhibitor == null && AlarmState.ALARM.equals(s.publishedState)) {
                out.add(a);
            }
            return;
        }
        if (inhibitor == null) {
            // Flapping is news even when the state is the one people were told: that it keeps
            // changing.
            publish(s, a, "flapping".equals(a.notification), out);
        } else if (s.newsworthy()) {
            if (s.heldBackBy == null) {
                s.heldBackBy = inhibitor;
                s.heldBackSince = a.time;
            }
        } else {
            s.heldBackBy = null;
            s.heldBackSince = 0;
        }
    }

    /** Publishes {@code a} if it is news (or {@code always}); people now know the state. */
    private static void publish(SeriesStatus s, Alert a, boolean always, List<Alert> out) {
        if (always || s.newsworthy()) {
            a.previousState = s.publishedState;
            out.add(a);
        }
        s.publishedState = s.state;
        s.publishedSeverity = s.severity;
    }

    /** The rule (by name) holding back {@code alarm} now, or null. */
    private String inhibitorOf(IncidentState st, String alarm) {
        Map<String, String> active = activeInhibitions(st);
        for (InhibitionRule r : inhibitions) {
            if (active.containsKey(r.name()) && r.targets().contains(alarm)) {
                return r.name();
            }
        }
        return null;
    }

    /** Active rules by name, with the source alarm that makes each active. */
    private Map<String, String> activeInhibitions(IncidentState st) {
        Map<String, String> active = new LinkedHashMap<>();
        if (inhibitions.isEmpty()) {
            return active;
        }
        for (SeriesStatus s : st.series.values()) {
            if (!AlarmState.ALARM.equals(s.state) || !sources.contains(s.alarmName)) {
                continue;
            }
            for (InhibitionRule r : inhibitions) {
                if (r.isSource(s.alarmName, s.latest == null ? null : s.latest.dimensions)
                        && r.inhibitsAt(s.severity)) {
                    active.putIfAbsent(r.name(), s.alarmName);
                }
            }
        }
        return active;
    }

    private void release(
            IncidentState st, Map<String, String> activeBefore, long time, List<Alert> out) {
        Map<String, String> activeNow = activeInhibitions(st);
        Set<String> ended = new TreeSet<>(activeBefore.keySet());
        ended.removeAll(activeNow.keySet());
        if (ended.isEmpty()) {
            return;
        }
        for (SeriesStatus s : new TreeMap<>(st.series).values()) {
            if (s.heldBackBy == null
                    || !ended.contains(s.heldBackBy)
                    || inhibitorOf(st, s.alarmName) != null) {
                continue;
            }
            String rule = s.heldBackBy;
            long since = s.heldBackSince;
            s.heldBackBy = null;
            s.heldBackSince = 0;
            if (s.newsworthy() && s.latest != null) {
                Alert a = s.latest.copy();
                // A published alert has dimensions, values and a runbook, if only empty ones.
                a.dimensions = a.dimensions == null ? new TreeMap<>() : a.dimensions;
                a.recentValues = a.recentValues == null ? new double[0] : a.recentValues;
                a.runbook = a.runbook == null ? new ArrayList<>() : a.runbook;
                a.heldBackBy = rule;
                a.heldBackSince = since;
                a.reason +=
                        String.format(
                                Locale.ROOT,
                                " [held back by inhibition '%s' (%s) from %s to %s]",
                                rule,
                                activeBefore.get(rule),
                                Instant.ofEpochMilli(since),
                                Instant.ofEpochMilli(time));
                a.time = Math.max(a.time, time);
                publish(s, a, false, out);
            }
        }
    }

    // --- composites ---

    private List<Alert> evaluateComposites(IncidentState st, long time) {
        List<Alert> changes = new ArrayList<>();
        for (CompositeAlarmDefinition c : composites) {
            for (String scope : scopes(st, c)) {
                boolean holds =
                        c.rule()
                                .holds(
                                        (alarm, state) ->
                                                state.equals(childState(st, alarm, scope)));
                String newState = holds ? AlarmState.ALARM : AlarmState.OK;
                String key = compositeKey(c, scope);
                SeriesStatus s = st.series.get(key);
                String old = s == null ? AlarmState.OK : s.state;
                if (!newState.equals(old)) {
                    changes.add(compositeAlert(c, scope, key, old, newState, time));
                }
            }
        }
        return changes;
    }

    private Set<String> scopes(IncidentState st, CompositeAlarmDefinition c) {
        Set<String> scopes = new TreeSet<>();
        for (SeriesStatus s : st.series.values()) {
            if (c.rule().alarms().contains(s.alarmName)) {
                scopes.add(s.scope);
            }
        }
        return scopes;
    }

    /**
     * ALARM if any series of {@code alarm} in {@code scope} is, else OK if any is, else no data.
     */
    private static String childState(IncidentState st, String alarm, String scope) {
        boolean ok = false;
        for (SeriesStatus s : st.series.values()) {
            if (alarm.equals(s.alarmName) && scope.equals(s.scope)) {
                if (AlarmState.ALARM.equals(s.state)) {
                    return AlarmState.ALARM;
                }
                ok |= AlarmState.OK.equals(s.state);
            }
        }
        return ok ? AlarmState.OK : AlarmState.INSUFFICIENT_DATA;
    }

    static String compositeKey(CompositeAlarmDefinition c, String scope) {
        return c.name() + "/" + (scope.isEmpty() ? "{}" : "{ModelVersion=" + scope + "}");
    }

    private static Alert compositeAlert(
            CompositeAlarmDefinition c,
            String scope,
            String key,
            String previous,
            String state,
            long time) {
        Alert a = new Alert();
        a.alarmName = c.name();
        a.summary = c.description();
        a.severity = c.severity();
        a.state = state;
        a.previousState = previous;
        a.notification = AlarmState.ALARM.equals(state) ? "raised" : "resolved";
        a.metric = "composite";
        a.dimensions = new TreeMap<>();
        if (!scope.isEmpty()) {
            a.dimensions.put(MetricNames.MODEL_VERSION, scope);
            a.modelVersion = scope;
        }
        a.value = Double.NaN;
        a.threshold = Double.NaN;
        a.time = time;
        a.route = c.route();
        a.priority = c.priority();
        a.action = AlarmState.ALARM.equals(state) ? c.action() : "none";
        a.kind = c.kind();
        a.runbook = new ArrayList<>(Playbooks.steps(c.kind()));
        a.deduplicationKey = key;
        a.reason =
                (AlarmState.ALARM.equals(state) ? c.description() + ": " : "Resolved: ")
                        + c.rule().text()
                        + (AlarmState.ALARM.equals(state) ? " holds" : " no longer holds")
                        + (scope.isEmpty() ? "" : " for ModelVersion " + scope);
        return a;
    }
}
