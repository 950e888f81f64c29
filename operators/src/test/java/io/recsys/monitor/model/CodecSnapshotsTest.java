package io.recsys.monitor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.operators.recommendation.RecommendationSketch;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The serializer snapshots of the four accumulators as the release at 9a8df29 wrote them ({@code
 * codec-snapshots/CodecSnapshotGenerator.java.txt}), with each codec in Java serialization: its
 * codecs implemented {@link AccumulatorCodec} directly, where they now extend {@link
 * AbstractAccumulatorCodec} (a superclass with no fields, which the old streams do not name), and
 * the recommendation sketch's held an exposure reference it no longer has (a field of the stream
 * that the class lacks, dropped). Each restores to the codec of this release with the same
 * configuration, compatible as it is, and reads what the current one writes.
 */
class CodecSnapshotsTest {

    static Stream<Arguments> snapshots() {
        return Stream.of(
                Arguments.of("engagement-counts", new EngagementCounts.Codec()),
                Arguments.of("data-quality-counts-cap-50", new DataQualityCounts.Codec(50)),
                Arguments.of("service-health-counts-cap-7", new ServiceHealthCounts.Codec(7)),
                Arguments.of(
                        "recommendation-sketch-with-reference", new RecommendationSketch.Codec()),
                Arguments.of(
                        "recommendation-sketch-without-reference",
                        new RecommendationSketch.Codec()));
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in =
                CodecSnapshotsTest.class.getResourceAsStream(
                        "/codec-snapshots/" + name + ".snapshot")) {
            return in.readAllBytes();
        }
    }

    private static <A extends SliceAccumulator<?, A>> TypeSerializerSnapshot<A> read(byte[] bytes)
            throws Exception {
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(bytes), CodecSnapshotsTest.class.getClassLoader());
    }

    @ParameterizedTest
    @MethodSource("snapshots")
    <A extends SliceAccumulator<?, A>> void restoresToTheCodecOfThisReleaseCompatibleAsItIs(
            String name, AccumulatorCodec<A> current) throws Exception {
        TypeSerializerSnapshot<A> old = read(resource(name));
        TypeSerializer<A> restored = old.restoreSerializer();
        AccumulatorTypeInfo.Serializer<A> serializer = AccumulatorTypeInfo.of(current).serializer();
        assertThat(restored).isEqualTo(serializer);
        assertThat(((AccumulatorTypeInfo.Serializer<A>) restored).codec().type())
                .isEqualTo(current.type());
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(old)
                                .isCompatibleAsIs())
                .isTrue();

        A value = current.create();
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        A read = restored.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read.getClass()).isEqualTo(value.getClass());
    }

    /** The old codecs' caps come back from the stream: not the default caps. */
    @Test
    void theCapsOfTheOldCodecsAreRead() throws Exception {
        assertThat(read(resource("data-quality-counts-cap-50")).restoreSerializer())
                .isNotEqualTo(
                        AccumulatorTypeInfo.of(new DataQualityCounts.Codec(200)).serializer());
        assertThat(read(resource("service-health-counts-cap-7")).restoreSerializer())
                .isNotEqualTo(
                        AccumulatorTypeInfo.of(new ServiceHealthCounts.Codec(20)).serializer());
    }

    /** The snapshot with the reference carries it (so its restore does drop a field). */
    @Test
    void theOldRecommendationSnapshotCarriesItsReference() throws Exception {
        String withReference =
                new String(
                        resource("recommendation-sketch-with-reference"),
                        StandardCharsets.ISO_8859_1);
        assertThat(withReference).contains("ProfileExposure", "reference", "item-20");
        assertThat(resource("recommendation-sketch-with-reference").length)
                .isGreaterThan(resource("recommendation-sketch-without-reference").length);
    }
}
