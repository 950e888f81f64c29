package io.recsys.monitor.operators.drift;

import org.apache.commons.math3.special.Gamma;

/**
 * log(k!) for k = 0 .. n, as {@code Gamma.logGamma(k + 1.0)} computes it, kept in a table shared by
 * every caller in the JVM. The Smirnov sum of a large-sample KS p-value needs log(j!) and log((n -
 * j)!) for every j up to n, and each {@code logGamma} costs two logarithms: computed once, the same
 * bits are read back instead. The table grows to the largest n asked for, up to {@link
 * #MAX_TABLED}; beyond that each value is computed as before.
 */
final class LogFactorials {
    /** Largest k kept (8 MiB of table); larger ones are computed on every call. */
    static final int MAX_TABLED = 1 << 20;

    /** Filled before it is published, never written after. */
    private static volatile double[] table = new double[0];

    private LogFactorials() {}

    /** A table holding log(k!) for every k from 0 to at least {@code n}, or null beyond the cap. */
    static double[] upTo(long n) {
        double[] t = table;
        if (n < t.length) {
            return t;
        }
        if (n > MAX_TABLED) {
            return null;
        }
        return grow((int) n);
    }

    /** log(k!) exactly as {@code Gamma.logGamma(k + 1.0)}, from the table when it holds k. */
    static double of(long k, double[] table) {
        return table != null && k < table.length ? table[(int) k] : Gamma.logGamma(k + 1.0);
    }

    private static synchronized double[] grow(int n) {
        double[] old = table;
        if (n < old.length) {
            return old;
        }
        int length = (int) Math.min(MAX_TABLED + 1L, Math.max(n + 1L, 2L * old.length));
        double[] grown = new double[length];
        System.arraycopy(old, 0, grown, 0, old.length);
        for (int k = old.length; k < length; k++) {
            grown[k] = Gamma.logGamma(k + 1.0);
        }
        table = grown;
        return grown;
    }
}
