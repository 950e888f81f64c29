package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.TreatMissingData;
import java.util.Locale;

/**
 * What one evaluated period says about an alarm: it is missing (no datapoint), insufficient (its
 * evidence can say neither that it breaches nor that it is clear), or present, breaching at
 * critical, at warning, or clear. {@code evidence} says why when the evidence decided (e.g. "95 %
 * interval 43.3-60.7 of 40 samples").
 *
 * <p>The M of N count ({@link AlarmEvaluator}) and the hysteresis ({@link AlarmHysteresis}) both
 * read a period through its {@link #level()}, so that treat-missing-data is applied in one place: a
 * missing period counts at the level its definition says, and an insufficient one says nothing,
 * like a missing period under {@code ignore}.
 */
final class PeriodVerdict {

    /** The level a period counts at, towards M and in the hysteresis' runs of good periods. */
    enum Level {
        /** Breaches the critical level (or is missing under breaching, with a critical level). */
        CRITICAL,
        /** Breaches the warning level, not the critical one. */
        WARNING,
        /** Has data (or is missing under notBreaching) and breaches no level. */
        GOOD,
        /** Says nothing: missing under missing or ignore, or insufficient. */
        SILENT
    }

    /** missing, insufficient, or for a present period critical, warning or clear. */
    private final String name;

    private final Level level;
    private final String evidence;

    private PeriodVerdict(String name, Level level, String evidence) {
        this.name = name;
        this.level = level;
        this.evidence = evidence;
    }

    /** A period without a datapoint, counted as {@code d}'s treat-missing-data says. */
    static PeriodVerdict missing(AlarmDefinition d) {
        TreatMissingData t = d.treatMissingData();
        Level level = t == TreatMissingData.NOT_BREACHING ? Level.GOOD : Level.SILENT;
        if (t == TreatMissingData.BREACHING) {
            // At the worst level the alarm has.
            level = Double.isNaN(d.criticalThreshold()) ? Level.WARNING : Level.CRITICAL;
        }
        return new PeriodVerdict("missing", level, null);
    }

    /** A period whose evidence says nothing either way. */
    static PeriodVerdict insufficient(String evidence) {
        return new PeriodVerdict("insufficient", Level.SILENT, evidence);
    }

    /** A period with data, breaching at critical, at warning (or critical), or neither. */
    static PeriodVerdict present(boolean critical, boolean warning, String evidence) {
        Level level = critical ? Level.CRITICAL : warning ? Level.WARNING : Level.GOOD;
        String name = level == Level.GOOD ? "clear" : level.name().toLowerCase(Locale.ROOT);
        return new PeriodVerdict(name, level, evidence);
    }

    boolean isMissing() {
        return "missing".equals(name);
    }

    /** Whether the period had data whose evidence said nothing (not merely missing). */
    boolean isInsufficient() {
        return "insufficient".equals(name);
    }

    Level level() {
        return level;
    }

    /** Why the evidence decided, or null when the period was compared by value (or is missing). */
    String evidence() {
        return evidence;
    }

    @Override
    public String toString() {
        return name;
    }
}
