package io.recsys.monitor.operators.drift;

/**
 * The parts of a model version's drift that are judged apart from one another: each feature of the
 * reference profile, and the model unit (the event count and the prediction scores). The rolling
 * drift stage is keyed by model version and unit ({@link #key}), so that the features of one model
 * version spread over the subtasks; a light stage keyed by model version combines their results
 * ({@link ModelDriftCombiner}).
 */
public final class DriftUnit {
    /** The unit of the event count and the prediction scores, which every pane has. */
    public static final String MODEL = "";

    /** Between model version and unit in a key; model versions do not contain it. */
    static final char KEY_SEPARATOR = '\u0000';

    private DriftUnit() {}

    /** The unit of a numerical feature. */
    public static String numeric(String feature) {
        return "n:" + feature;
    }

    /** The unit of a categorical feature (a name may be sketched as both before a reference). */
    public static String categorical(String feature) {
        return "c:" + feature;
    }

    /** The key of a model version's unit in the rolling drift stage. */
    public static String key(String modelVersion, String unit) {
        return modelVersion + KEY_SEPARATOR + unit;
    }

    /** The model version of a key: the key itself when it names no unit (a whole model version). */
    public static String modelVersionOf(String key) {
        int separator = key.indexOf(KEY_SEPARATOR);
        return separator < 0 ? key : key.substring(0, separator);
    }
}
