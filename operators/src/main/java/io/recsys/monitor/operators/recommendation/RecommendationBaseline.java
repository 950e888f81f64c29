package io.recsys.monitor.operators.recommendation;

import java.io.Serializable;
import java.util.Optional;

/**
 * What the recommendation-quality metrics compare a window with: the catalogue size (for coverage;
 * 0 means unknown and no coverage is reported) and an optional exposure reference (for novelty;
 * absent means the window's own exposure distribution). It comes from the setting {@code
 * metrics.catalogue-size} today; a reference profile can supply both with {@link
 * #withCatalogueSize} and {@link #withExposure}.
 */
public final class RecommendationBaseline implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long catalogueSize;
    private final ExposureReference exposure;

    private RecommendationBaseline(long catalogueSize, ExposureReference exposure) {
        if (catalogueSize < 0) {
            throw new IllegalArgumentException("catalogue size must be >= 0");
        }
        this.catalogueSize = catalogueSize;
        this.exposure = exposure;
    }

    /** Catalogue of {@code catalogueSize} items (0: unknown), novelty from the window itself. */
    public static RecommendationBaseline of(long catalogueSize) {
        return new RecommendationBaseline(catalogueSize, null);
    }

    public RecommendationBaseline withCatalogueSize(long size) {
        return new RecommendationBaseline(size, exposure);
    }

    public RecommendationBaseline withExposure(ExposureReference reference) {
        return new RecommendationBaseline(catalogueSize, reference);
    }

    /** Items in the catalogue; 0 when unknown. */
    public long catalogueSize() {
        return catalogueSize;
    }

    public Optional<ExposureReference> exposure() {
        return Optional.ofNullable(exposure);
    }
}
