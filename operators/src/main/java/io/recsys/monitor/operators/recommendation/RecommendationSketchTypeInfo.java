package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.model.AccumulatorTypeInfo;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;

/**
 * The name under which savepoints of earlier releases recorded the serializer of {@link
 * RecommendationSketch} (a length-prefixed copy of its compact bytes, which is version 1 of {@link
 * RecommendationSketch.Codec}). Only its {@link Snapshot} is left, so that their state resolves
 * against {@link AccumulatorTypeInfo} as it is.
 */
public final class RecommendationSketchTypeInfo {
    private RecommendationSketchTypeInfo() {}

    /**
     * The snapshot class that savepoints of earlier releases name (it wrote no configuration): it
     * restores the version-1 codec. Public with no arguments, as Flink needs.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RecommendationSketch> {
        public Snapshot() {
            super(() -> new AccumulatorTypeInfo.Serializer<>(new RecommendationSketch.Codec(), 1));
        }
    }
}
