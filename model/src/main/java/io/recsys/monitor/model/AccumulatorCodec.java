package io.recsys.monitor.model;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The compact byte form of an accumulator, the form of its state and of the records between
 * operators: counters as numbers and sketches as their DataSketches bytes, never Kryo. The form has
 * a version: a codec writes its {@link #version()} and reads every version it ever wrote, so that
 * state written by an earlier release is read back (and rewritten) after an upgrade. {@link
 * AccumulatorTypeInfo} records the codec and the version in the serializer snapshot.
 *
 * <p>A codec holds what the accumulator's configuration fixes (such as a cap), and gives it to the
 * accumulators it creates and reads. Two codecs of one class must read each other's bytes. It holds
 * nothing else: the snapshot of every checkpoint records it, and a restore may keep the codec of
 * the run that wrote the state, so data of the run (such as a reference profile) belongs to what
 * adds the events, not to the codec. {@link AbstractAccumulatorCodec} is the shape of the codecs
 * here.
 *
 * @param <A> the accumulator
 */
public interface AccumulatorCodec<A> extends Serializable {
    /** The version of the form {@link #write} writes. */
    int version();

    /** A new, empty accumulator under this codec's configuration. */
    A create();

    /** The accumulator class, for Flink's type information. */
    Class<A> type();

    /** Writes {@code value} in the form of {@link #version()}. */
    void write(A value, DataOutputView out) throws IOException;

    /** Reads a value that a codec of this class wrote in the form of {@code version}. */
    A read(int version, DataInputView in) throws IOException;
}
