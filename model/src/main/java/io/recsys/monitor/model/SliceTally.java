package io.recsys.monitor.model;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;

/**
 * The accumulator of one sliced metric for one slice and window: counted in a fine slice by the
 * keyed window, then copied to the coarser slices it rolls up into, where the totals stage sums the
 * latest accumulator of each fine slice ({@link #sourceSlice}). The one record of every sliced
 * metric family, whatever its accumulator.
 *
 * @param <A> the accumulator
 */
public class SliceTally<A> {
    /** The slice's key ({@code TrafficSlice.key}): its dimensions. */
    public String slice;

    public long windowStart;
    public long windowEnd;

    /**
     * The key of the fine slice the accumulator was counted in. A coarse slice is the sum of its
     * fine slices; when a fine slice's window fires again with late events, the totals replace that
     * slice's earlier contribution instead of adding to it.
     */
    public String sourceSlice = "";

    public A accumulator;

    public SliceTally() {}

    public SliceTally(String slice, long windowStart, long windowEnd, A accumulator) {
        this.slice = slice;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.accumulator = accumulator;
    }

    /**
     * The POJO type of tallies of {@code accumulatorType}: Flink cannot infer a type variable's
     * field, and would fall back to Kryo.
     */
    public static <A> TypeInformation<SliceTally<A>> typeInfo(TypeInformation<A> accumulatorType) {
        List<PojoField> fields =
                Arrays.asList(
                        new PojoField(field("accumulator"), accumulatorType),
                        new PojoField(field("slice"), Types.STRING),
                        new PojoField(field("sourceSlice"), Types.STRING),
                        new PojoField(field("windowEnd"), Types.LONG),
                        new PojoField(field("windowStart"), Types.LONG));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<SliceTally<A>> type = (Class) SliceTally.class;
        return new PojoTypeInfo<>(type, fields);
    }

    private static Field field(String name) {
        try {
            return SliceTally.class.getField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SliceTally{"
                + slice
                + " ["
                + windowStart
                + ", "
                + windowEnd
                + ") from "
                + sourceSlice
                + " "
                + accumulator
                + "}";
    }
}
