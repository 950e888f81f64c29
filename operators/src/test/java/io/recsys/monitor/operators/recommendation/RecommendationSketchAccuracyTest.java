package io.recsys.monitor.operators.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import java.util.SplittableRandom;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.junit.jupiter.api.Test;

/**
 * The sketches' error on large generated samples, against exact counts of the same samples. The
 * measured figures are printed for the README. Bounds: HLL relative standard error 1.04 /
 * sqrt(2^lgK) (Flajolet et al. 2007; DataSketches documents 1.04 for HLL_4), asserted at three
 * standard errors; frequent items: every estimate within the sketch's maximum error, itself at most
 * 3.5 / maxMapSize of the stream (DataSketches frequencies documentation, {@code getAprioriError}).
 */
class RecommendationSketchAccuracyTest {
    private static final double RSE = 1.04 / Math.sqrt(1 << RecommendationSketch.LG_K);

    /** Popularity rank ~ (rank + 1)^-s over {@code n} items, like the traffic generator's. */
    private static int zipf(SplittableRandom r, int n, double s) {
        double span = Math.pow(n + 1.0, 1.0 - s) - 1.0;
        double x = Math.pow(1.0 + r.nextDouble() * span, 1.0 / (1.0 - s)) - 1.0;
        return Math.min(n - 1, (int) x);
    }

    private static PredictionEvent response(int[] items) {
        PredictionEvent p = new PredictionEvent();
        for (int item : items) {
            p.recommendations.add(new RecommendedItem("item-" + item, 0.5, "c" + item % 20, 1));
        }
        return p;
    }

    @Test
    void distinctCountWithinThreeStandardErrors() {
        for (int n : new int[] {5_000, 100_000, 1_000_000}) {
            RecommendationSketch s = new RecommendationSketch();
            int[] batch = new int[10];
            for (int i = 0; i < n; i += 10) {
                for (int k = 0; k < 10; k++) {
                    batch[k] = i + k;
                }
                s.add(response(batch), null);
            }
            double error = Math.abs(s.distinctItems() - n) / n;
            System.out.printf(
                    "HLL_4 lgK=%d: %d distinct, estimate %.0f, relative error %.3f %% (RSE %.2f %%)%n",
                    RecommendationSketch.LG_K, n, s.distinctItems(), 100 * error, 100 * RSE);
            assertThat(error).isLessThan(3 * RSE);
        }
    }

    @Test
    void frequentItemCountsWithinTheirErrorBound() {
        int n = 100_000;
        long exposures = 2_000_000;
        long[] exact = new long[n];
        ItemsSketch<String> sketch = new ItemsSketch<>(RecommendationSketch.MAX_MAP_SIZE);
        SplittableRandom r = new SplittableRandom(7);
        for (long i = 0; i < exposures; i++) {
            int item = zipf(r, n, 0.8);
            exact[item]++;
            sketch.update("item-" + item);
        }
        long maxError = sketch.getMaximumError();
        double apriori = ItemsSketch.getAprioriError(RecommendationSketch.MAX_MAP_SIZE, exposures);
        System.out.printf(
                "ItemsSketch maxMapSize=%d over %d exposures of %d items: max error %d"
                        + " (a priori bound %.0f = %.4f of the stream)%n",
                RecommendationSketch.MAX_MAP_SIZE,
                exposures,
                n,
                maxError,
                apriori,
                apriori / exposures);
        assertThat((double) maxError).isLessThanOrEqualTo(apriori);
        for (int item = 0; item < n; item++) {
            String id = "item-" + item;
            assertThat(sketch.getLowerBound(id)).isLessThanOrEqualTo(exact[item]);
            assertThat(sketch.getUpperBound(id)).isGreaterThanOrEqualTo(exact[item]);
        }
        // No false negatives: every item above the error is reported.
        int reported = sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES).length;
        long above = java.util.Arrays.stream(exact).filter(c -> c > maxError).count();
        assertThat((long) reported).isGreaterThanOrEqualTo(above);
    }

    /**
     * Gini and novelty from the sketches against the exact values of the same windows: an hour of
     * the generator's default traffic on one slice (3600 responses of 10 over 5000 items) and a
     * busy window (200 000 responses over 50 000 items).
     */
    @Test
    void giniAndNoveltyCloseToExact() {
        // responses, items, Gini error bound, novelty error bound (bits): measured 0.011 / 0.04
        // and 0.11 / 0.83; the busy window has few items above the sketch's error to fit the
        // tail's power law to, so its tail model is coarser.
        double[][] cases = {{3_600, 5_000, 0.03, 0.1}, {200_000, 50_000, 0.15, 1.0}};
        for (double[] c : cases) {
            int responses = (int) c[0];
            int n = (int) c[1];
            long[] exact = new long[n];
            RecommendationSketch s = new RecommendationSketch();
            SplittableRandom r = new SplittableRandom(11);
            int[] batch = new int[10];
            for (int i = 0; i < responses; i++) {
                for (int k = 0; k < 10; k++) {
                    batch[k] = zipf(r, n, 0.8);
                    exact[batch[k]]++;
                }
                s.add(response(batch), null);
            }
            ExposureDistribution truth = ExposureDistribution.ofCounts(exact);
            ExposureDistribution estimate = s.exposureDistribution();
            double giniError = Math.abs(estimate.gini() - truth.gini());
            double noveltyError = Math.abs(estimate.selfNovelty() - truth.selfNovelty());
            System.out.printf(
                    "%d responses over %d items: Gini exact %.4f sketch %.4f (error %.4f);"
                            + " novelty exact %.4f sketch %.4f bits (error %.4f);"
                            + " sketch %d bytes%n",
                    responses,
                    n,
                    truth.gini(),
                    estimate.gini(),
                    giniError,
                    truth.selfNovelty(),
                    estimate.selfNovelty(),
                    noveltyError,
                    s.toBytes().length);
            assertThat(giniError).isLessThan(c[2]);
            assertThat(noveltyError).isLessThan(c[3]);
            // Memory per key stays bounded whatever the traffic.
            assertThat(s.toBytes().length).isLessThan(24_000);
        }
    }
}
