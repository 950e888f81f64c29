package io.recsys.monitor.model;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.MapTypeInfo;

/**
 * Declares a {@code Map<K, V>} field of a model record as a Flink map, serialized entry by entry
 * with the key's and value's own serializers (it reads back as a {@code HashMap}). Without it Flink
 * treats {@code Map} as a generic type and falls back to Kryo.
 *
 * <p>Use on the field: {@code @TypeInfo(MapTypeInfoFactory.class)}. For a sorted map, whose order
 * matters, see {@link DimensionsTypeInfo}.
 */
public class MapTypeInfoFactory<K, V> extends TypeInfoFactory<Map<K, V>> {
    @Override
    @SuppressWarnings("unchecked")
    public TypeInformation<Map<K, V>> createTypeInfo(
            Type t, Map<String, TypeInformation<?>> genericParameters) {
        // Keyed by the type variables of java.util.Map, whose names are K and V.
        TypeInformation<K> key = (TypeInformation<K>) genericParameters.get("K");
        TypeInformation<V> value = (TypeInformation<V>) genericParameters.get("V");
        if (key == null || value == null) {
            throw new IllegalArgumentException("Cannot tell the key and value types of map " + t);
        }
        return new MapTypeInfo<>(key, value);
    }
}
