package io.recsys.monitor.job.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class SyntheticEventGeneratorTest {
    private final GeneratorSettings settings =
            TrafficSimulatorTest.settings("generator.malformed-share", "0.05");

    private static List<String> map(SyntheticEventGenerator generator, long from, long to) {
        List<String> lines = new ArrayList<>();
        for (long i = from; i < to; i++) {
            lines.add(generator.map(i));
        }
        return lines;
    }

    @Test
    void mapsIndexToTheSimulatorsEventAtThatIndex() {
        SyntheticEventGenerator generator = new SyntheticEventGenerator(settings);
        generator.open(null);
        TrafficSimulator sim = new TrafficSimulator(settings);
        for (long i = 0; i < 100; i++) {
            assertThat(generator.map(i)).isEqualTo(sim.next().json);
        }
    }

    @Test
    void freshInstanceRestoredMidStreamContinuesIdentically() {
        SyntheticEventGenerator first = new SyntheticEventGenerator(settings);
        first.open(null);
        List<String> original = map(first, 0, 100);

        SyntheticEventGenerator restored = new SyntheticEventGenerator(settings);
        restored.open(null);
        assertThat(map(restored, 50, 100)).isEqualTo(original.subList(50, 100));
    }

    @Test
    void survivesSerializationAsFlinkShipsIt() throws Exception {
        SyntheticEventGenerator generator = new SyntheticEventGenerator(settings);
        generator.open(null);
        String first = generator.map(0L);

        SyntheticEventGenerator copy =
                InstantiationUtil.clone(generator, getClass().getClassLoader());
        copy.open(null);
        assertThat(copy.map(0L)).isEqualTo(first);
    }

    @Test
    void goingBackRebuildsTheSimulator() {
        SyntheticEventGenerator generator = new SyntheticEventGenerator(settings);
        generator.open(null);
        List<String> original = map(generator, 0, 100);
        assertThat(map(generator, 20, 40)).isEqualTo(original.subList(20, 40));
        assertThat(generator.map(99L)).isEqualTo(original.get(99));
    }
}
