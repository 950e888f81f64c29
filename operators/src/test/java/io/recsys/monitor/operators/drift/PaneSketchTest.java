package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class PaneSketchTest {

    /**
     * The bound of one numerical quantity's sample in one pane, in bytes: a value and its priority
     * per value kept, and the sample's header.
     */
    static final int NUMERIC_BYTES_BOUND = 16 * PaneSketch.DEFAULT_EXACT_VALUES + 64;

    private static int serializedSize(PaneSketch pane) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        PaneSketchSerializer.INSTANCE.serialize(pane, out);
        return out.length();
    }

    @Test
    void memoryPerFeatureIsBoundedWhateverTheTraffic() throws Exception {
        ReferenceProfile reference = DriftTestEvents.reference("r", 1000, 1);
        Random random = new Random(9);
        PaneSketch small = new PaneSketch(1000);
        PaneSketch large = new PaneSketch(1000);
        for (int i = 0; i < 10_000; i++) {
            small.add(DriftTestEvents.event(random, "v1", i, 0), reference.profileFor("v1"));
        }
        for (int i = 0; i < 2_000_000; i++) {
            large.add(DriftTestEvents.event(random, "v1", i, 0), reference.profileFor("v1"));
        }
        int smallBytes = serializedSize(small);
        int largeBytes = serializedSize(large);
        // Age and score sketches (two numerical quantities) plus three device counts.
        int bound = 2 * NUMERIC_BYTES_BOUND + 3 * (2 + 8 + 8) + 512;
        System.out.printf(
                "pane bytes: %d after 10k events, %d after 2M events; bound per numerical feature"
                        + " and pane %d bytes%n",
                smallBytes, largeBytes, NUMERIC_BYTES_BOUND);
        assertThat(largeBytes).isLessThanOrEqualTo(bound);
        // Two hundred times the traffic, not two hundred times the state.
        assertThat(largeBytes).isLessThan(2 * smallBytes);
        assertThat(NUMERIC_BYTES_BOUND).isLessThanOrEqualTo(64 * 1024 + 64);
    }

    @Test
    void categoriesAreCappedPerFeature() {
        ReferenceProfile reference = DriftTestEvents.reference("r", 100, 1);
        PaneSketch pane = new PaneSketch(10);
        Random random = new Random(3);
        for (int i = 0; i < 1000; i++) {
            PredictionEvent e = DriftTestEvents.event(random, "v1", i, 0);
            e.categoricalFeatures.put("device", "d-" + i);
            pane.add(e, reference.profileFor("v1"));
        }
        assertThat(pane.categoryCounts("device")).hasSize(11).containsEntry(PaneSketch.OTHER, 990L);
    }

    @Test
    void survivesItsSerializer() throws Exception {
        ReferenceProfile reference = DriftTestEvents.reference("r", 100, 1);
        PaneSketch pane = new PaneSketch(1000);
        Random random = new Random(5);
        for (int i = 0; i < 5000; i++) {
            pane.add(DriftTestEvents.event(random, "v1", i, 0), reference.profileFor("v1"));
        }
        DataOutputSerializer out = new DataOutputSerializer(1024);
        PaneSketchSerializer.INSTANCE.serialize(pane, out);
        PaneSketch copy =
                PaneSketchSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy.events()).isEqualTo(5000);
        assertThat(copy.categoryCounts("device")).isEqualTo(pane.categoryCounts("device"));
        assertThat(copy.numericDistribution("age").values())
                .containsExactly(pane.numericDistribution("age").values());
        assertThat(copy.scoreMoments().mean()).isEqualTo(pane.scoreMoments().mean());
        assertThat(PaneSketchSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isEqualTo(PaneSketchSerializer.INSTANCE);
    }
}
