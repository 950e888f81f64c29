package io.recsys.monitor.job.generator;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code generator.*} keys of one run, read once from a {@link MonitorConfig} into a small
 * serializable value, so that the generator function shipped to a Flink task carries only what it
 * needs and not the whole configuration.
 */
public final class GeneratorSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long seed;
    private final double requestsPerSecond;
    private final long startTimeMillis;
    private final ArrayList<String> modelVersions;
    private final ArrayList<String> segments;
    private final int catalogueSize;
    private final int categories;
    private final int recommendationsPerResponse;
    private final int extraFeatures;
    private final double impressionRate;
    private final double clickRate;
    private final double addToCartRate;
    private final double purchaseRate;
    private final double malformedShare;
    private final ArrayList<Scenario> scenarios;
    private final double eventsPerSecond;
    private final long maxEvents;
    private final TrafficCycle cycle;

    private GeneratorSettings(MonitorConfig config, List<Scenario> scenarios) {
        this.seed = config.get(Settings.GENERATOR_SEED);
        this.requestsPerSecond = config.get(Settings.GENERATOR_REQUESTS_PER_SECOND);
        this.startTimeMillis = config.get(Settings.GENERATOR_START_TIME).toEpochMilli();
        this.modelVersions = new ArrayList<>(config.get(Settings.GENERATOR_MODEL_VERSIONS));
        this.segments = new ArrayList<>(config.get(Settings.GENERATOR_SEGMENTS));
        this.catalogueSize = config.get(Settings.GENERATOR_CATALOGUE_SIZE);
        this.categories = config.get(Settings.GENERATOR_CATEGORIES);
        this.recommendationsPerResponse = config.get(Settings.GENERATOR_RECOMMENDATIONS);
        this.extraFeatures = config.get(Settings.GENERATOR_EXTRA_FEATURES);
        this.impressionRate = config.get(Settings.GENERATOR_IMPRESSION_RATE);
        this.clickRate = config.get(Settings.GENERATOR_CLICK_RATE);
        this.addToCartRate = config.get(Settings.GENERATOR_ADD_TO_CART_RATE);
        this.purchaseRate = config.get(Settings.GENERATOR_PURCHASE_RATE);
        this.malformedShare = config.get(Settings.GENERATOR_MALFORMED_SHARE);
        this.scenarios = new ArrayList<>(scenarios);
        this.eventsPerSecond = config.get(Settings.GENERATOR_EVENTS_PER_SECOND);
        this.maxEvents = config.get(Settings.GENERATOR_MAX_EVENTS);
        this.cycle = TrafficCycle.fromConfig(config);
    }

    /**
     * Reads the {@code generator.*} keys.
     *
     * @throws ConfigException (an {@link IllegalArgumentException} is its cause) when an entry of
     *     {@code generator.scenarios} is not a known scenario with a valid start time, or a shift
     *     this traffic cannot act out
     */
    public static GeneratorSettings fromConfig(MonitorConfig config) {
        List<Scenario> scenarios;
        try {
            scenarios = Scenario.parseAll(config.get(Settings.GENERATOR_SCENARIOS));
            TrafficSimulator.checkShifts(scenarios, config.get(Settings.GENERATOR_EXTRA_FEATURES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "Invalid value for '"
                            + Settings.GENERATOR_SCENARIOS.key()
                            + "': "
                            + e.getMessage(),
                    e);
        }
        return new GeneratorSettings(config, scenarios);
    }

    /** The daily and weekly rhythm of the traffic ({@link TrafficCycle#FLAT} when none). */
    TrafficCycle cycle() {
        return cycle;
    }

    public long seed() {
        return seed;
    }

    /** Recommendation requests per second of event time. */
    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    /** Event time of the first request, epoch ms. */
    public long startTimeMillis() {
        return startTimeMillis;
    }

    public List<String> modelVersions() {
        return Collections.unmodifiableList(modelVersions);
    }

    public List<String> segments() {
        return Collections.unmodifiableList(segments);
    }

    public int catalogueSize() {
        return catalogueSize;
    }

    public int categories() {
        return categories;
    }

    public int recommendationsPerResponse() {
        return recommendationsPerResponse;
    }

    /** Numerical features added to each prediction beyond the nine of the contract's example. */
    public int extraFeatures() {
        return extraFeatures;
    }

    public double impressionRate() {
        return impressionRate;
    }

    public double clickRate() {
        return clickRate;
    }

    public double addToCartRate() {
        return addToCartRate;
    }

    public double purchaseRate() {
        return purchaseRate;
    }

    /** Share of lines that are malformed from the first event on, before any scenario. */
    public double malformedShare() {
        return malformedShare;
    }

    public List<Scenario> scenarios() {
        return Collections.unmodifiableList(scenarios);
    }

    /** Events per second of wall-clock time that the Flink source lets through. */
    public double eventsPerSecond() {
        return eventsPerSecond;
    }

    /** Events the Flink source emits before it ends; 0 means unbounded. */
    public long maxEvents() {
        return maxEvents;
    }

    @Override
    public String toString() {
        return "GeneratorSettings{seed="
                + seed
                + ", requestsPerSecond="
                + requestsPerSecond
                + ", start="
                + Instant.ofEpochMilli(startTimeMillis)
                + ", modelVersions="
                + modelVersions
                + ", segments="
                + segments
                + ", catalogueSize="
                + catalogueSize
                + ", categories="
                + categories
                + ", recommendationsPerResponse="
                + recommendationsPerResponse
                + ", extraFeatures="
                + extraFeatures
                + ", rates="
                + impressionRate
                + "/"
                + clickRate
                + "/"
                + addToCartRate
                + "/"
                + purchaseRate
                + ", malformedShare="
                + malformedShare
                + ", scenarios="
                + scenarios
                + ", eventsPerSecond="
                + eventsPerSecond
                + ", maxEvents="
                + maxEvents
                + "}";
    }
}
