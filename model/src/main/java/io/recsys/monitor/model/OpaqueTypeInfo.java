package io.recsys.monitor.model;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information of a value that Flink handles as one field and writes with a serializer of its
 * own (an accumulator's codec, a compact record form, a dimension map): no basic, tuple or key
 * type. What is left to a subclass is its class, its serializer and its equality.
 *
 * @param <T> the type
 */
public abstract class OpaqueTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    /** Still abstract in Flink 1.20, so implemented as well, with the same serializer. */
    @Override
    @Deprecated
    public TypeSerializer<T> createSerializer(ExecutionConfig config) {
        return createSerializer(config.getSerializerConfig());
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj != null && obj.getClass() == getClass();
    }
}
