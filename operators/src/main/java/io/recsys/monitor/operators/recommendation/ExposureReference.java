package io.recsys.monitor.operators.recommendation;

import java.io.Serializable;

/**
 * Where the novelty of an item comes from: its share of exposure in a reference, such as the
 * training-time profile. Novelty of an item is {@code -log2(share)}: an item everyone sees has
 * novelty near 0, a rarely shown one a high novelty. Without a reference ({@link
 * RecommendationBaseline#exposure()} empty) the window's own exposure distribution is the
 * reference.
 */
public interface ExposureReference extends Serializable {
    /**
     * The share of {@code itemId} in the reference's exposures, in (0, 1]. An item the reference
     * never saw must still get a positive share (a floor of the reference's choosing, such as half
     * an exposure in its total), so that its novelty is finite.
     */
    double share(String itemId);
}
