package io.recsys.monitor.operators.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class ReferenceProfileJsonTest {

    private static PredictionEvent event(String model, double age, String device, long cart) {
        PredictionEvent e = new PredictionEvent();
        e.modelVersion = model;
        e.numericFeatures.put("age", age);
        e.numericFeatures.put("cart", (double) cart);
        e.categoricalFeatures.put("device", device);
        e.recommendations.add(new RecommendedItem("i-" + cart, 0.5 + age / 1000, "c", 1));
        e.recommendations.add(new RecommendedItem("i-x", 0.1, "c", 1));
        return e;
    }

    @Test
    void buildsAndRoundTripsAProfile() {
        ReferenceProfileBuilder builder =
                new ReferenceProfileBuilder(
                        Collections.singleton("cart"), Collections.<String>emptySet());
        builder.add(event("v1", 30, "mobile", 1));
        builder.add(event("v1", 40, "mobile", 2));
        builder.add(event("v1", 40, "desktop", 2));
        builder.add(event("v2", 50, "tv", 3));
        ReferenceProfile profile = builder.build("ref-1", "2026-01-01T00:00:00Z", "events.jsonl");
        String json = ReferenceProfileJson.write(profile);
        ReferenceProfile read = ReferenceProfileJson.read(json);

        assertThat(read.referenceVersion).isEqualTo("ref-1");
        assertThat(read.models).containsOnlyKeys("v1", "v2", ReferenceProfile.DEFAULT);
        ModelProfile v1 = read.profileFor("v1");
        assertThat(v1.events).isEqualTo(3);
        NumericProfile age = v1.numericalFeatures.get("age");
        assertThat(age.count).isEqualTo(3);
        assertThat(age.mean).isEqualTo(110.0 / 3);
        assertThat(age.standardDeviation)
                .isCloseTo(Math.sqrt(100.0 / 3), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(age.distribution.values()).containsExactly(30.0, 40.0);
        assertThat(age.distribution.cumulativeCounts()).containsExactly(1L, 3L);
        assertThat(age.distribution.rankError()).isZero();
        // "cart" is a number in JSON but configured categorical.
        assertThat(v1.categoricalFeatures.get("cart").categories)
                .containsEntry("1", 1L)
                .containsEntry("2", 2L);
        assertThat(v1.categoricalFeatures.get("device").categories)
                .containsEntry("mobile", 2L)
                .containsEntry("desktop", 1L);
        assertThat(v1.scores.count).isEqualTo(3);
        assertThat(v1.itemExposures).containsEntry("i-x", 3L).containsEntry("i-2", 2L);
        assertThat(v1.catalogueSize).isEqualTo(3);
        assertThat(read.profileFor("v9").events).isEqualTo(4);
        assertThat(ReferenceProfileJson.write(read)).isEqualTo(json);
    }

    @Test
    void aBaselineBuiltTwiceGivesTheSameProfileByteForByte() {
        // 300,000 events: beyond the sample's 250,000 values and the 4,096 stored quantiles, where
        // a KLL sketch (the builder's before) compacted at random and two builds differed.
        String first = ReferenceProfileJson.write(largeBaseline(false));
        assertThat(ReferenceProfileJson.write(largeBaseline(false))).isEqualTo(first);
        NumericProfile age =
                ReferenceProfileJson.read(first).profileFor("v1").numericalFeatures.get("age");
        assertThat(age.count).isEqualTo(300_000);
        assertThat(age.distribution.count()).isEqualTo(300_000);
        assertThat(age.distribution.values()).hasSize(ReferenceDistribution.MAX_POINTS);
        assertThat(age.distribution.rankError()).isBetween(0.0002, 0.01);
        assertThat(first).contains("\"encoding\" : \"quantiles\"");
        // Read in reverse, the same events give the same distribution (the moments' sums are
        // added in another order, so only the distribution is compared).
        NumericProfile reversed = largeBaseline(true).profileFor("v1").numericalFeatures.get("age");
        assertThat(reversed.distribution.values()).containsExactly(age.distribution.values());
        assertThat(reversed.distribution.cumulativeCounts())
                .containsExactly(age.distribution.cumulativeCounts());
    }

    private static ReferenceProfile largeBaseline(boolean reversed) {
        ReferenceProfileBuilder builder =
                new ReferenceProfileBuilder(Collections.emptySet(), Collections.emptySet());
        java.util.Random random = new java.util.Random(11);
        PredictionEvent[] events = new PredictionEvent[300_000];
        for (int i = 0; i < events.length; i++) {
            events[i] = event("v1", 40 + 12 * random.nextGaussian(), "mobile", i % 5);
            events[i].requestId = "req-" + i;
            events[i].eventTime = 1_767_225_600_000L + 1_000L * i;
        }
        for (int i = 0; i < events.length; i++) {
            builder.add(events[reversed ? events.length - 1 - i : i]);
        }
        return builder.build("ref-1", "2026-01-01T00:00:00Z", "generated");
    }

    @Test
    void refusesWhatItCannotReadWithThePath() {
        assertThatThrownBy(() -> ReferenceProfileJson.read("{\"format\":\"other\"}"))
                .hasMessageContaining("$.format");
        assertThatThrownBy(
                        () ->
                                ReferenceProfileJson.read(
                                        "{\"format\":\"recsys-monitor-reference-profile\","
                                                + "\"format_version\":2}"))
                .hasMessageContaining("format_version 2 is not supported");
        assertThatThrownBy(
                        () ->
                                ReferenceProfileJson.read(
                                        "{\"format\":\"recsys-monitor-reference-profile\","
                                                + "\"format_version\":1,\"reference_version\":\"r\","
                                                + "\"models\":{\"v1\":{\"events\":1,\"features\":"
                                                + "{\"age\":{\"kind\":\"numerical\",\"count\":2,"
                                                + "\"distribution\":{\"values\":[2,1],"
                                                + "\"cumulative_counts\":[1,2]}}}}}}"))
                .hasMessageContaining("$.models.v1.features.age.distribution");
        assertThatThrownBy(() -> ReferenceProfileJson.read("[1]")).hasMessageContaining("object");
    }
}
