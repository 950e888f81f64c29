package io.recsys.monitor.model;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;

/**
 * What one subtask aggregated for one traffic slice (a {@code TrafficSlice} key) and one tumbling
 * window before the shuffle: partials of the same slice and window add up, downstream, to the
 * window's aggregate. Stamped with its window's last millisecond, so that a tumbling window
 * downstream places it by the record timestamp and decides its lateness by its window alone.
 *
 * @param <A> the aggregate, an accumulator of the window function that merges the partials
 */
public class SlicePartial<A> {
    public String slice;
    public long windowStart;
    public A aggregate;

    public SlicePartial() {}

    public SlicePartial(String slice, long windowStart, A aggregate) {
        this.slice = slice;
        this.windowStart = windowStart;
        this.aggregate = aggregate;
    }

    /**
     * The POJO type of partials of {@code aggregateType}: Flink cannot infer a type variable's
     * field, and would fall back to Kryo.
     */
    public static <A> TypeInformation<SlicePartial<A>> typeInfo(TypeInformation<A> aggregateType) {
        List<PojoField> fields =
                Arrays.asList(
                        new PojoField(field("aggregate"), aggregateType),
                        new PojoField(field("slice"), Types.STRING),
                        new PojoField(field("windowStart"), Types.LONG));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<SlicePartial<A>> type = (Class) SlicePartial.class;
        return new PojoTypeInfo<>(type, fields);
    }

    private static Field field(String name) {
        try {
            return SlicePartial.class.getField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SlicePartial{" + slice + " @" + windowStart + " " + aggregate + "}";
    }
}
