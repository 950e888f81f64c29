package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NumericSampleTest {
    private static final int CAPACITY = 500;

    /** A value of event i (with ties: values on a grid) and the event's priority. */
    private static double value(int i) {
        return Math.floor(new Random(i).nextGaussian() * 20) / 4;
    }

    private static long priority(int i) {
        return NumericSample.priority("r-" + i, 1_000L * i);
    }

    @Test
    void keepsEveryValueUpToItsCapacity() {
        NumericSample sample = new NumericSample(CAPACITY);
        double[] values = new double[CAPACITY];
        for (int i = 0; i < CAPACITY; i++) {
            values[i] = value(i);
            sample.add(values[i], priority(i));
        }
        EmpiricalCdf exact = EmpiricalCdf.exact(values);
        assertThat(sample.isExact()).isTrue();
        assertThat(sample.rankError()).isZero();
        assertThat(sample.distribution().values()).containsExactly(exact.values());
        assertThat(sample.distribution().cumulativeCounts())
                .containsExactly(exact.cumulativeCounts());
        sample.add(value(CAPACITY), priority(CAPACITY));
        assertThat(sample.isExact()).isFalse();
        assertThat(sample.size()).isEqualTo(CAPACITY);
        assertThat(sample.count()).isEqualTo(CAPACITY + 1);
    }

    /**
     * The same events in another order, split into other deltas and panes, merged in another order
     * and read back from a checkpoint: the same sample, value for value.
     */
    @Test
    void dependsOnlyOnTheEventsNotOnTheirOrderSplitsOrCheckpoints() throws IOException {
        int events = 20_000;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            order.add(i);
        }
        EmpiricalCdf expected = null;
        double expectedError = Double.NaN;
        for (long seed = 0; seed < 6; seed++) {
            Collections.shuffle(order, new Random(seed));
            // Three panes of the window, each filled by a random number of deltas.
            NumericSample[] panes = new NumericSample[3];
            for (int p = 0; p < panes.length; p++) {
                panes[p] = new NumericSample(CAPACITY);
            }
            Random split = new Random(100 + seed);
            NumericSample[] deltas = new NumericSample[3];
            for (int i : order) {
                int pane = i % 3;
                if (deltas[pane] == null) {
                    deltas[pane] = new NumericSample(CAPACITY);
                }
                deltas[pane].add(value(i), priority(i));
                if (split.nextInt(700) == 0) {
                    panes[pane].merge(deltas[pane]);
                    deltas[pane] = null;
                    panes[pane] = roundTrip(panes[pane]);
                }
            }
            for (int p = 0; p < panes.length; p++) {
                if (deltas[p] != null) {
                    panes[p].merge(roundTrip(deltas[p]));
                }
            }
            NumericSample window = new NumericSample(Integer.MAX_VALUE);
            List<NumericSample> mergeOrder = new ArrayList<>(List.of(panes));
            Collections.shuffle(mergeOrder, new Random(200 + seed));
            for (NumericSample pane : mergeOrder) {
                window.merge(pane);
            }
            assertThat(window.count()).isEqualTo(events);
            EmpiricalCdf distribution = window.distribution();
            if (expected == null) {
                expected = distribution;
                expectedError = distribution.rankError();
                assertThat(window.isExact()).isFalse();
                // Three sampled panes merged: at least one pane's capacity, at most all three.
                assertThat(window.size()).isBetween(CAPACITY, 3 * CAPACITY);
            } else {
                assertThat(distribution.values()).containsExactly(expected.values());
                assertThat(distribution.cumulativeCounts())
                        .containsExactly(expected.cumulativeCounts());
                assertThat(distribution.rankError()).isEqualTo(expectedError);
            }
        }
    }

    /**
     * The sample is uniform: its distribution function is within its DKW bound of all values'
     * (Dvoretzky-Kiefer-Wolfowitz with Massart's constant: P(sup |F_s - F| > e) <= 2 exp(-2 s
     * e^2)).
     */
    @Test
    void sampledDistributionIsWithinItsBoundOfAllValues() {
        NumericSample sample = new NumericSample(2000);
        double[] all = new double[100_000];
        for (int i = 0; i < all.length; i++) {
            all[i] = value(i);
            sample.add(all[i], priority(i));
        }
        EmpiricalCdf distribution = sample.distribution();
        double d = KsStatistic.statistic(distribution, EmpiricalCdf.exact(all));
        assertThat(distribution.rankError())
                .isEqualTo(Math.sqrt(Math.log(2 / 0.01) / (2.0 * 2000)));
        assertThat(d).isLessThanOrEqualTo(distribution.rankError());
    }

    private static NumericSample roundTrip(NumericSample sample) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sample.write(new DataOutputStream(bytes));
        return NumericSample.read(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
