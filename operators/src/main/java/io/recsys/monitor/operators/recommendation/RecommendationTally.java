package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.operators.engagement.TrafficSlice;
import java.lang.reflect.Field;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;

/**
 * The recommendation-quality sketch of one window and slice as the release before the sliced-metric
 * stages kept it ({@link io.recsys.monitor.model.SliceTally} replaced it): the contents of that
 * release's merge window (uid {@code recommendation-quality-metrics}), whose savepoints name this
 * class and its fields in the window's state. Only {@link RecommendationTallyMerge} reads it.
 * Delete both once no such savepoint is restored.
 */
public class RecommendationTally {
    /** {@code null} for overall. */
    public String modelVersion;

    /** {@code null} when rolled up over segments. */
    public String userSegment;

    public long windowStart;
    public long windowEnd;
    public RecommendationSketch sketch;

    public RecommendationTally() {}

    /** The key of the tally's slice ({@link TrafficSlice#key}). */
    public String slice() {
        return TrafficSlice.key(modelVersion, userSegment);
    }

    /**
     * The POJO type of tallies whose sketches are of {@code sketchType}: the sketch has no type
     * information of its own for Flink to find, and would fall back to Kryo.
     */
    public static TypeInformation<RecommendationTally> typeInfo(
            TypeInformation<RecommendationSketch> sketchType) {
        return new PojoTypeInfo<>(
                RecommendationTally.class,
                Arrays.asList(
                        new PojoField(field("modelVersion"), Types.STRING),
                        new PojoField(field("sketch"), sketchType),
                        new PojoField(field("userSegment"), Types.STRING),
                        new PojoField(field("windowEnd"), Types.LONG),
                        new PojoField(field("windowStart"), Types.LONG)));
    }

    private static Field field(String name) {
        try {
            return RecommendationTally.class.getField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
