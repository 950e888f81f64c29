package io.recsys.monitor.operators.engagement;

import java.util.Locale;

/**
 * What CTR divides clicks by. Impression events are the right denominator; a producer that sends no
 * impressions can fall back to every recommended item served counting as shown.
 */
public enum CtrDenominator {
    IMPRESSIONS,
    RECOMMENDED_ITEMS;

    /** Parses the configuration word: impressions or recommended-items. */
    public static CtrDenominator fromConfig(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
