package io.recsys.monitor.operators.drift;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Count, sum and sum of squares of a stream of numbers, held exactly (a double is a finite decimal,
 * and so are its square and their sums), so that the mean and variance do not depend on the order
 * in which values and panes came: {@link Moments}' floating-point updates round differently for
 * every order, and two parallel channels deliver the events of a pane in a different order in every
 * run. The exact sums also avoid the cancellation of sum-of-squares formulas. Values must be
 * finite.
 */
final class ExactMoments {
    private long count;
    private BigDecimal sum = BigDecimal.ZERO;
    private BigDecimal sumOfSquares = BigDecimal.ZERO;

    void add(double x) {
        BigDecimal v = new BigDecimal(x);
        count++;
        sum = sum.add(v);
        sumOfSquares = sumOfSquares.add(v.multiply(v));
    }

    void merge(ExactMoments other) {
        count += other.count;
        sum = sum.add(other.sum);
        sumOfSquares = sumOfSquares.add(other.sumOfSquares);
    }

    /** The moments as {@link Moments}: mean and sum of squared deviations rounded once. */
    Moments toMoments() {
        if (count == 0) {
            return new Moments();
        }
        BigDecimal n = BigDecimal.valueOf(count);
        BigDecimal mean = sum.divide(n, MathContext.DECIMAL128);
        BigDecimal m2 = sumOfSquares.subtract(sum.multiply(sum).divide(n, MathContext.DECIMAL128));
        return new Moments(count, mean.doubleValue(), Math.max(0.0, m2.doubleValue()));
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(count);
        writeDecimal(out, sum);
        writeDecimal(out, sumOfSquares);
    }

    static ExactMoments read(DataInput in) throws IOException {
        ExactMoments m = new ExactMoments();
        m.count = in.readLong();
        m.sum = readDecimal(in);
        m.sumOfSquares = readDecimal(in);
        return m;
    }

    /** Moments of format 1 (count, mean, m2), as the sums they stand for. */
    static ExactMoments of(Moments moments) {
        ExactMoments m = new ExactMoments();
        if (moments.count() == 0) {
            return m;
        }
        BigDecimal n = BigDecimal.valueOf(moments.count());
        BigDecimal mean = new BigDecimal(moments.mean());
        m.count = moments.count();
        m.sum = mean.multiply(n);
        m.sumOfSquares = new BigDecimal(moments.m2()).add(m.sum.multiply(mean));
        return m;
    }

    private static void writeDecimal(DataOutput out, BigDecimal d) throws IOException {
        byte[] unscaled = d.unscaledValue().toByteArray();
        out.writeInt(d.scale());
        out.writeInt(unscaled.length);
        out.write(unscaled);
    }

    private static BigDecimal readDecimal(DataInput in) throws IOException {
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readInt()];
        in.readFully(unscaled);
        return new BigDecimal(new java.math.BigInteger(unscaled), scale);
    }
}
