package io.recsys.monitor.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.operators.drift.PaneSketch;
import io.recsys.monitor.operators.recommendation.RecommendationSketch;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileBuilder;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * Each consumer of the prediction stream computes from its projection exactly what it computes from
 * the full event (compared in the consumers' byte forms), over parsed events that cover the edge
 * cases the consumers look at: errors with and without a type, null and string features, items
 * without price, category or score, no recommendations, no segment.
 */
class PredictionProjectionsTest {
    private static final EventParser PARSER = new EventParser(EventLimits.defaults());

    private static final String[] LINES = {
        "{\"event_type\":\"prediction\",\"request_id\":\"r1\",\"event_time\":\"2026-01-01T00:00:00Z\","
                + "\"user_id\":\"u1\",\"user_segment\":\"premium\",\"model_version\":\"v1\","
                + "\"latency_ms\":40.5,\"status\":\"ok\",\"recommendations\":["
                + "{\"item_id\":\"i1\",\"score\":0.9,\"category\":\"books\",\"price\":12.5},"
                + "{\"item_id\":\"i2\",\"score\":0.8,\"category\":\"games\"},"
                + "{\"item_id\":\"i3\",\"category\":\"books\",\"price\":3.0},"
                + "{\"item_id\":\"i4\",\"score\":0.5,\"price\":7.0}],"
                + "\"features\":{\"user_age\":35,\"session_length_s\":388.0,\"device\":\"mobile\","
                + "\"is_logged_in\":true,\"referrer\":null,\"items_in_cart\":\"2\"}}",
        "{\"event_type\":\"prediction\",\"request_id\":\"r2\",\"event_time\":\"2026-01-01T00:00:01Z\","
                + "\"user_id\":\"u2\",\"model_version\":\"v1\",\"latency_ms\":1390.4,"
                + "\"status\":\"error\",\"error_type\":\"ModelTimeout\",\"recommendations\":[],"
                + "\"features\":{\"user_age\":18,\"device\":\"desktop\"}}",
        "{\"event_type\":\"prediction\",\"request_id\":\"r3\",\"event_time\":\"2026-01-01T00:00:02Z\","
                + "\"user_id\":\"u3\",\"user_segment\":\"new\",\"model_version\":\"v2\","
                + "\"latency_ms\":0,\"status\":\"error\"}",
        "{\"event_type\":\"prediction\",\"request_id\":\"r4\",\"event_time\":\"2026-01-01T00:00:03Z\","
                + "\"user_id\":\"u4\",\"user_segment\":\"returning\",\"model_version\":\"v2\","
                + "\"latency_ms\":120,\"status\":\"ok\",\"recommendations\":[],"
                + "\"features\":{\"user_age\":61,\"session_length_s\":12.25,\"device\":\"tablet\"}}",
        "{\"event_type\":\"prediction\",\"request_id\":\"r5\",\"event_time\":\"2026-01-01T00:00:04Z\","
                + "\"user_id\":\"u5\",\"user_segment\":\"new\",\"model_version\":\"v1\","
                + "\"latency_ms\":75.0,\"status\":\"ok\",\"recommendations\":["
                + "{\"item_id\":\"i9\",\"category\":\"toys\",\"price\":9.0},"
                + "{\"item_id\":\"i1\",\"score\":0.2,\"category\":\"toys\",\"price\":12.5}],"
                + "\"features\":{\"user_age\":44,\"device\":\"mobile\",\"referrer\":\"ad\"}}",
    };

    private static List<PredictionEvent> events() {
        List<PredictionEvent> events = new ArrayList<>();
        for (String line : LINES) {
            PredictionEvent p = PARSER.parse(line, "test", 0L).prediction;
            assertThat(p).as(line).isNotNull();
            events.add(p);
        }
        return events;
    }

    private static final org.apache.flink.api.common.typeutils.TypeSerializer<ServiceHealthCounts>
            HEALTH_SERIALIZER =
                    io.recsys.monitor.model.AccumulatorTypeInfo.of(
                                    new ServiceHealthCounts.Codec(20))
                            .serializer();

    @Test
    void serviceHealthCountsTheSameFromItsProjection() throws IOException {
        ServiceHealthCounts full = new ServiceHealthCounts(20);
        ServiceHealthCounts projected = new ServiceHealthCounts(20);
        for (PredictionEvent p : events()) {
            full.add(p);
            projected.add(PredictionProjections.forServiceHealth(p));
        }
        assertThat(bytes(HEALTH_SERIALIZER, projected)).isEqualTo(bytes(HEALTH_SERIALIZER, full));
        assertThat(projected.errorsByType).containsEntry("ModelTimeout", 1L);
    }

    @Test
    void recommendationSketchIsTheSameFromItsProjection() {
        RecommendationSketch full = new RecommendationSketch();
        RecommendationSketch projected = new RecommendationSketch();
        for (PredictionEvent p : events()) {
            full.add(p, null);
            projected.add(PredictionProjections.forRecommendationQuality(p), null);
        }
        assertThat(projected.toBytes()).isEqualTo(full.toBytes());
    }

    @Test
    void driftPaneIsTheSameFromItsProjectionWithAndWithoutAReference() throws IOException {
        ReferenceProfileBuilder builder =
                new ReferenceProfileBuilder(Collections.emptySet(), Collections.emptySet());
        events().forEach(builder::add);
        ReferenceProfile reference = builder.build("ref-1", "2026-01-01T00:00:00Z", "test");
        for (ModelProfile profile :
                new ModelProfile[] {null, reference.profileFor(ReferenceProfile.DEFAULT)}) {
            PaneSketch full = new PaneSketch(1000);
            PaneSketch projected = new PaneSketch(1000);
            for (PredictionEvent p : events()) {
                full.add(p, profile);
                projected.add(PredictionProjections.forDrift(p), profile);
            }
            assertThat(paneBytes(projected)).isEqualTo(paneBytes(full));
        }
    }

    @Test
    void attributionKeepsTheRequestAndTheItemsInRankOrder() {
        for (PredictionEvent p : events()) {
            PredictionEvent v = PredictionProjections.forAttribution(p);
            assertThat(v.requestId).isEqualTo(p.requestId);
            assertThat(v.eventTime).isEqualTo(p.eventTime);
            assertThat(v.modelVersion).isEqualTo(p.modelVersion);
            assertThat(v.userSegment).isEqualTo(p.userSegment);
            assertThat(v.recommendations).hasSameSizeAs(p.recommendations);
            for (int i = 0; i < p.recommendations.size(); i++) {
                assertThat(v.recommendations.get(i).itemId)
                        .isEqualTo(p.recommendations.get(i).itemId);
            }
            assertThat(v.numericFeatures).isEmpty();
            assertThat(v.userId).isNull();
        }
    }

    @Test
    void projectionsLeaveTheInputUnchangedAndShareNoItems() {
        List<UnaryOperator<PredictionEvent>> projections =
                List.of(
                        PredictionProjections::forAttribution,
                        PredictionProjections::forRecommendationQuality,
                        PredictionProjections::forServiceHealth,
                        PredictionProjections::forDrift);
        List<PredictionEvent> events = events();
        List<PredictionEvent> untouched = events();
        for (UnaryOperator<PredictionEvent> projection : projections) {
            for (PredictionEvent p : events) {
                PredictionEvent v = projection.apply(p);
                assertThat(v.recommendations).isNotSameAs(p.recommendations);
                assertThat(v.nullFeatures).isNotSameAs(p.nullFeatures);
                for (RecommendedItem item : v.recommendations) {
                    assertThat(p.recommendations).noneMatch(original -> original == item);
                }
            }
        }
        assertThat(events).isEqualTo(untouched);
    }

    @Test
    void theProjectionsAreFlinkPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(PredictionEvent.class);
    }

    private static <T> byte[] bytes(
            org.apache.flink.api.common.typeutils.TypeSerializer<T> serializer, T value)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    private static byte[] paneBytes(PaneSketch pane) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        pane.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
