package io.recsys.monitor.job.generator;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import java.io.Serializable;

/**
 * The daily and weekly rhythm of synthetic traffic, as multipliers of the configured rates at an
 * event time: request volume, click probability, purchase probability and order value follow a
 * cosine over the day (peak at 18:00 UTC, trough at 06:00) and are lower on Saturdays and Sundays.
 * Real recommender traffic has this rhythm, and an alarm that compares an hour with the last day
 * must see it in tests, not first in production. {@link #FLAT} multiplies everything by exactly 1.
 */
final class TrafficCycle implements Serializable {
    private static final long serialVersionUID = 1L;

    static final TrafficCycle FLAT = new TrafficCycle(0, 0, 0, 0, 0);

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final double PEAK_HOUR = 18;

    private final double volumeAmplitude;
    private final double clickAmplitude;
    private final double purchaseAmplitude;
    private final double orderValueAmplitude;
    private final double weekendAmplitude;

    TrafficCycle(
            double volumeAmplitude,
            double clickAmplitude,
            double purchaseAmplitude,
            double orderValueAmplitude,
            double weekendAmplitude) {
        this.volumeAmplitude = volumeAmplitude;
        this.clickAmplitude = clickAmplitude;
        this.purchaseAmplitude = purchaseAmplitude;
        this.orderValueAmplitude = orderValueAmplitude;
        this.weekendAmplitude = weekendAmplitude;
    }

    static TrafficCycle fromConfig(MonitorConfig config) {
        if ("flat".equals(config.get(Settings.GENERATOR_TRAFFIC_CYCLES))) {
            return FLAT;
        }
        return new TrafficCycle(
                config.get(Settings.GENERATOR_DAILY_VOLUME_AMPLITUDE),
                config.get(Settings.GENERATOR_DAILY_CLICK_AMPLITUDE),
                config.get(Settings.GENERATOR_DAILY_PURCHASE_AMPLITUDE),
                config.get(Settings.GENERATOR_DAILY_ORDER_VALUE_AMPLITUDE),
                config.get(Settings.GENERATOR_WEEKEND_AMPLITUDE));
    }

    boolean isFlat() {
        return volumeAmplitude == 0
                && clickAmplitude == 0
                && purchaseAmplitude == 0
                && orderValueAmplitude == 0
                && weekendAmplitude == 0;
    }

    /** The multiplier of the request rate at event time {@code t}. */
    double volume(long t) {
        return (1 + volumeAmplitude * daily(t)) * (1 - weekendAmplitude * weekend(t));
    }

    /** The multiplier of every rank's click probability at {@code t}. */
    double clicks(long t) {
        return (1 + clickAmplitude * daily(t)) * (1 - weekendAmplitude / 2 * weekend(t));
    }

    /** The multiplier of the purchase rate at {@code t}. */
    double purchases(long t) {
        return (1 + purchaseAmplitude * daily(t)) * (1 - weekendAmplitude / 2 * weekend(t));
    }

    /** The multiplier of order values at {@code t}. */
    double orderValue(long t) {
        return 1 + orderValueAmplitude * daily(t);
    }

    /** cos of the hour of day, 1 at the peak and -1 twelve hours later. */
    private static double daily(long t) {
        double hour = Math.floorMod(t, DAY) / (double) HOUR;
        return Math.cos(2 * Math.PI * (hour - PEAK_HOUR) / 24);
    }

    /** 1 on Saturdays and Sundays (UTC), else 0. The epoch, 1970-01-01, was a Thursday. */
    private static double weekend(long t) {
        long dayOfWeek = Math.floorMod(Math.floorDiv(t, DAY) + 3, 7L); // 0 = Monday
        return dayOfWeek >= 5 ? 1 : 0;
    }
}
