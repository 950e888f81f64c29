package io.recsys.monitor.job.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.operators.recommendation.RecommendationBaseline;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileBuilder;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendationQualityBaselineTest {

    @TempDir Path dir;

    private Path referenceWithItems(String... items) throws Exception {
        ReferenceProfileBuilder builder =
                new ReferenceProfileBuilder(Collections.emptySet(), Collections.emptySet());
        PredictionEvent p = new PredictionEvent();
        p.requestId = "r";
        p.eventTime = 1L;
        p.userId = "u";
        p.modelVersion = "v1";
        for (String item : items) {
            p.recommendations.add(new RecommendedItem(item, 0.5, "c", 10));
        }
        builder.add(p);
        ReferenceProfile profile = builder.build("ref-1", "2026-01-01T00:00:00Z", "test");
        Path file = dir.resolve("ref.json");
        Files.write(file, ReferenceProfileJson.write(profile).getBytes(StandardCharsets.UTF_8));
        return file;
    }

    @Test
    void theReferenceGivesTheCatalogueSizeAndTheExposuresForNovelty() throws Exception {
        Path reference = referenceWithItems("a", "b", "c", "d");
        MonitorConfig config = MonitorConfig.of(Map.of("drift.reference", reference.toString()));
        RecommendationBaseline baseline = RecommendationQualityGraph.baseline(config);
        // The reference's catalogue: the four items it saw; the generator's 5000 is not used.
        assertThat(baseline.catalogueSize()).isEqualTo(4);
        assertThat(baseline.exposure()).isPresent();
        assertThat(baseline.exposure().get().share("a"))
                .isGreaterThan(baseline.exposure().get().share("z"));
        // A directory: its newest reference file.
        MonitorConfig fromDirectory = MonitorConfig.of(Map.of("drift.reference", dir.toString()));
        assertThat(RecommendationQualityGraph.baseline(fromDirectory).catalogueSize()).isEqualTo(4);
    }

    @Test
    void theConfiguredCatalogueSizeWinsAndTheGeneratorsCatalogueIsTheLastResort() {
        assertThat(
                        RecommendationQualityGraph.baseline(
                                        MonitorConfig.of(Map.of("metrics.catalogue-size", "777")))
                                .catalogueSize())
                .isEqualTo(777);
        assertThat(RecommendationQualityGraph.baseline(MonitorConfig.defaults()).catalogueSize())
                .isEqualTo(5000);
        assertThat(RecommendationQualityGraph.baseline(MonitorConfig.defaults()).exposure())
                .isEmpty();
    }

    @Test
    void anUnreadableReferenceStopsStartUpNamingTheKey() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.write(bad, "{not json".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(
                        () ->
                                RecommendationQualityGraph.baseline(
                                        MonitorConfig.of(
                                                Map.of("drift.reference", bad.toString()))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("drift.reference");
    }
}
