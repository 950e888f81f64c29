package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.FeedbackAction;
import java.util.Locale;

/**
 * Which feedback makes a recommended item relevant for the online ranking metrics ({@code
 * metrics.relevance}). With {@link #CLICK} any engagement from a click on counts (a purchase
 * implies the click, even when the click event was lost); with {@link #PURCHASE} only purchases.
 * Impressions are never relevance: they say the item was shown, not that it was wanted.
 */
public enum Relevance {
    CLICK,
    PURCHASE;

    /** Parses the configuration word: click or purchase. */
    public static Relevance fromConfig(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }

    /** Whether {@code action} marks its item relevant. */
    public boolean isRelevant(FeedbackAction action) {
        switch (action) {
            case CLICK:
            case ADD_TO_CART:
                return this == CLICK;
            case PURCHASE:
                return true;
            default:
                return false;
        }
    }
}
