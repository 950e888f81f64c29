package io.recsys.monitor.model;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ListTypeInfo;

/**
 * Declares a {@code List<E>} field of a model record as a Flink list, serialized element by element
 * with the element's own serializer. Without it Flink treats {@code List} as a generic type and
 * falls back to Kryo, which is slower and breaks state compatibility on upgrades.
 *
 * <p>Use on the field: {@code @TypeInfo(ListTypeInfoFactory.class)}. The element type comes from
 * the field's declared type.
 */
public class ListTypeInfoFactory<E> extends TypeInfoFactory<List<E>> {
    @Override
    @SuppressWarnings("unchecked")
    public TypeInformation<List<E>> createTypeInfo(
            Type t, Map<String, TypeInformation<?>> genericParameters) {
        // Keyed by the type variable of java.util.List, whose name is E.
        TypeInformation<E> element = (TypeInformation<E>) genericParameters.get("E");
        if (element == null) {
            throw new IllegalArgumentException("Cannot tell the element type of list " + t);
        }
        return new ListTypeInfo<>(element);
    }
}
