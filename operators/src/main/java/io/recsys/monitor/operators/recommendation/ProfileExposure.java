package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.operators.reference.ModelProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Item exposure shares from a reference profile (the items' exposure counts of the baseline
 * period), so that Novelty says how unusual today's recommendations are against what the model
 * showed when it was trained. An item the reference never showed gets half an exposure, which keeps
 * its novelty finite and above that of every item the reference did show.
 */
public final class ProfileExposure implements ExposureReference {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, Long> exposures;
    private final double total;

    public ProfileExposure(Map<String, Long> itemExposures) {
        this.exposures = new HashMap<>(itemExposures);
        long sum = 0;
        for (long c : itemExposures.values()) {
            sum += c;
        }
        // Half an exposure more than the reference counted, for the unseen items' floor.
        this.total = sum + 0.5;
    }

    /** The exposure reference of a model profile, or null when it counted no exposures. */
    public static ProfileExposure of(ModelProfile profile) {
        return profile == null || profile.itemExposures.isEmpty()
                ? null
                : new ProfileExposure(profile.itemExposures);
    }

    @Override
    public double share(String itemId) {
        Long count = exposures.get(itemId);
        return (count == null || count == 0 ? 0.5 : count) / total;
    }
}
