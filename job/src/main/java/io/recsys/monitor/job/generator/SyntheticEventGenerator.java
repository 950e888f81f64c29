package io.recsys.monitor.job.generator;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The generator function behind {@link SyntheticSource}: maps the index the data generator source
 * hands out to the JSON of the event at that index of a {@link TrafficSimulator}.
 *
 * <p>The source checkpoints only the next index, so after a restore (or any gap) the simulator is
 * rebuilt and fast-forwarded to that index; the simulator is deterministic, so the restored stream
 * continues exactly where the failed one stopped. Indices must arrive in increasing order, which
 * holds for a source of parallelism 1.
 */
public final class SyntheticEventGenerator implements GeneratorFunction<Long, String> {
    private static final long serialVersionUID = 1L;

    private final GeneratorSettings settings;
    private transient TrafficSimulator simulator;

    public SyntheticEventGenerator(GeneratorSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(SourceReaderContext readerContext) {
        simulator = new TrafficSimulator(settings);
    }

    @Override
    public String map(Long index) {
        long wanted = index;
        if (simulator == null || simulator.emitted() > wanted) {
            simulator = new TrafficSimulator(settings);
        }
        if (simulator.emitted() != wanted) {
            simulator.skipTo(wanted);
        }
        return simulator.next().json;
    }
}
