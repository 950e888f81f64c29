package io.recsys.monitor.operators.reference;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;

/**
 * How a prediction event's feature is read as a number or as a category, the same way when the
 * reference is built and when the window is sketched. A feature's kind follows its JSON type
 * (numbers numerical, strings and booleans categorical) unless the configuration says otherwise;
 * then a number is read as a category by its decimal text ({@code 3.0} as {@code "3"}) and a string
 * as a number when it parses as one.
 */
public final class FeatureValues {
    /** Longest category kept; longer ones are cut, so that state per category stays bounded. */
    public static final int MAX_CATEGORY_CHARS = 128;

    private FeatureValues() {}

    /** The feature as a finite number, or null when absent, null or not a number. */
    public static Double number(PredictionEvent event, String feature) {
        Double value = event.numericFeatures.get(feature);
        if (value == null) {
            String text = event.categoricalFeatures.get(feature);
            if (text == null) {
                return null;
            }
            try {
                value = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return Double.isFinite(value) ? value : null;
    }

    /** The feature as a category, or null when absent or null. */
    public static String category(PredictionEvent event, String feature) {
        String text = event.categoricalFeatures.get(feature);
        if (text == null) {
            Double value = event.numericFeatures.get(feature);
            if (value == null) {
                return null;
            }
            text = numberText(value);
        }
        return text.length() > MAX_CATEGORY_CHARS ? text.substring(0, MAX_CATEGORY_CHARS) : text;
    }

    /** Score of the first (top-ranked) recommendation, or null for an error or empty response. */
    public static Double topScore(PredictionEvent event) {
        if (event.error || event.recommendations.isEmpty()) {
            return null;
        }
        RecommendedItem top = event.recommendations.get(0);
        return top == null || !Double.isFinite(top.score) ? null : top.score;
    }

    static String numberText(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
