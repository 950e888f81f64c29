package io.recsys.monitor.model;

import java.util.Locale;

/** What a user did with a recommended item, in funnel order. */
public enum FeedbackAction {
    IMPRESSION,
    CLICK,
    ADD_TO_CART,
    PURCHASE;

    // Computed once: every feedback event looks its action up.
    private static final FeedbackAction[] VALUES = values();

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The word used in events: impression, click, add_to_cart, purchase. */
    public String wireName() {
        return wireName;
    }

    /** The action for an event word, or {@code null} when the word is not an action. */
    public static FeedbackAction fromWireName(String word) {
        for (FeedbackAction a : VALUES) {
            if (a.wireName.equals(word)) {
                return a;
            }
        }
        return null;
    }
}
