package io.recsys.monitor.job.generator;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

/**
 * The Flink source of synthetic traffic: raw JSON lines from a {@link TrafficSimulator}, let
 * through at {@code generator.events-per-second} of wall-clock time and ending after {@code
 * generator.max-events} (never when 0). It lets the job run locally with no AWS account while
 * reading the same raw strings a Kinesis source would deliver.
 *
 * <p>Run it with parallelism 1: each index belongs to one global event-time order, and parallel
 * readers would both interleave their ranges out of order and regenerate the whole prefix of the
 * stream before their first index.
 */
public final class SyntheticSource {
    private SyntheticSource() {}

    /** A data generator source of JSON lines for {@code settings}; set its parallelism to 1. */
    public static DataGeneratorSource<String> create(GeneratorSettings settings) {
        long count = settings.maxEvents() == 0 ? Long.MAX_VALUE : settings.maxEvents();
        return new DataGeneratorSource<>(
                new SyntheticEventGenerator(settings),
                count,
                RateLimiterStrategy.perSecond(settings.eventsPerSecond()),
                Types.STRING);
    }
}
