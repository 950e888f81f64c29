package io.recsys.monitor.model;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import org.apache.flink.core.memory.DataInputView;

/**
 * The shape of an accumulator's codec: the accumulator class is the type argument of the codec's
 * superclass, every version from 1 to {@link #version()} is read (anything else is refused before
 * the codec sees a byte), and codecs of one class are equal unless their configuration says
 * otherwise (a subclass with a cap overrides {@link #equals} and {@link #hashCode}).
 *
 * <p>It has no fields, and must keep none: savepoints record codecs in Java serialization, and a
 * codec written before it had this superclass is read with every superclass field at its default
 * (Java serialization runs no constructor of a serializable class), so a field here would be 0 or
 * null in a restored codec.
 *
 * @param <A> the accumulator; a subclass names it directly, as in {@code extends
 *     AbstractAccumulatorCodec<EngagementCounts>}
 */
public abstract class AbstractAccumulatorCodec<A> implements AccumulatorCodec<A> {
    private static final long serialVersionUID = 1L;

    /** The accumulator class, the type argument this codec's class gives its superclass. */
    @Override
    @SuppressWarnings("unchecked")
    public final Class<A> type() {
        return (Class<A>)
                ((ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
    }

    @Override
    public final A read(int version, DataInputView in) throws IOException {
        if (version < 1 || version > version()) {
            throw new IOException(
                    "Unknown " + type().getSimpleName() + " codec version " + version);
        }
        return readVersion(version, in);
    }

    /** Reads a value written in the form of {@code version}, between 1 and {@link #version()}. */
    protected abstract A readVersion(int version, DataInputView in) throws IOException;

    /** Codecs without configuration: any two of one class read each other's bytes. */
    @Override
    public boolean equals(Object obj) {
        return obj != null && obj.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().getName().hashCode();
    }
}
