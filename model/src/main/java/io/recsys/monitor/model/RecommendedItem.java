package io.recsys.monitor.model;

import java.util.Objects;

/**
 * One item of a recommendation response. Its rank is its position in the response plus one.
 * Optional numbers that are absent are {@code NaN}, which keeps the record free of boxing.
 */
public class RecommendedItem {
    public String itemId;

    /** Model score; {@code NaN} when the producer sent none. */
    public double score = Double.NaN;

    /** Catalogue category; {@code null} when absent. */
    public String category;

    /** Price, greater than 0; {@code NaN} when absent. */
    public double price = Double.NaN;

    public RecommendedItem() {}

    public RecommendedItem(String itemId, double score, String category, double price) {
        this.itemId = itemId;
        this.score = score;
        this.category = category;
        this.price = price;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RecommendedItem)) {
            return false;
        }
        RecommendedItem that = (RecommendedItem) o;
        return Objects.equals(itemId, that.itemId)
                && Double.compare(score, that.score) == 0
                && Objects.equals(category, that.category)
                && Double.compare(price, that.price) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemId, score, category, price);
    }

    @Override
    public String toString() {
        return "RecommendedItem{"
                + itemId
                + ", score="
                + score
                + ", "
                + category
                + ", price="
                + price
                + "}";
    }
}
