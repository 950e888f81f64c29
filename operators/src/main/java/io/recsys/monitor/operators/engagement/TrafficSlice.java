package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.operators.sliced.RollUpLevel;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dimension sets every metric is reported for: overall, per model version, and per model
 * version and user segment. A slice is encoded as a compact key for {@code keyBy} and turned back
 * into CloudWatch dimensions for output.
 */
public final class TrafficSlice {
    public static final String MODEL_VERSION = MetricNames.MODEL_VERSION;
    public static final String USER_SEGMENT = MetricNames.USER_SEGMENT;

    private static final char SEPARATOR = '\u0001';

    /**
     * The levels a (model version, segment) slice rolls up into: its model version, then overall.
     */
    public static final List<RollUpLevel> ROLL_UP =
            List.of(TrafficSlice::modelVersionLevel, TrafficSlice::overallLevel);

    private TrafficSlice() {}

    /** The model version slice of a (model version, segment) slice; null for coarser ones. */
    static String modelVersionLevel(String key) {
        String modelVersion = modelVersionOf(key);
        return modelVersion != null && userSegmentOf(key) != null ? key(modelVersion, null) : null;
    }

    /** The overall slice of every slice but overall itself. */
    static String overallLevel(String key) {
        return modelVersionOf(key) != null ? key(null, null) : null;
    }

    /** The key of a slice; {@code null} parts are rolled up ("all"). */
    public static String key(String modelVersion, String userSegment) {
        if (modelVersion == null) {
            return "";
        }
        return userSegment == null ? modelVersion : modelVersion + SEPARATOR + userSegment;
    }

    /** The model version of a slice key; {@code null} for overall. */
    public static String modelVersionOf(String key) {
        if (key.isEmpty()) {
            return null;
        }
        int sep = key.indexOf(SEPARATOR);
        return sep < 0 ? key : key.substring(0, sep);
    }

    /** The user segment of a slice key; {@code null} when the slice is rolled up over segments. */
    public static String userSegmentOf(String key) {
        int sep = key.indexOf(SEPARATOR);
        return sep < 0 ? null : key.substring(sep + 1);
    }

    /** The CloudWatch dimensions of a slice; empty for overall. */
    public static Map<String, String> dimensions(String modelVersion, String userSegment) {
        TreeMap<String, String> dims = new TreeMap<>();
        if (modelVersion != null) {
            dims.put(MODEL_VERSION, modelVersion);
            if (userSegment != null) {
                dims.put(USER_SEGMENT, userSegment);
            }
        }
        return dims;
    }

    /** The CloudWatch dimensions of a slice key; empty for overall. */
    public static Map<String, String> dimensions(String key) {
        return dimensions(modelVersionOf(key), userSegmentOf(key));
    }
}
