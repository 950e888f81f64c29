package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.QualityTally;
import io.recsys.monitor.operators.sliced.PreviousReleaseContents;
import org.apache.flink.api.common.functions.ReduceFunction;

/**
 * The merge window of the release before the sliced-metric stages (uid {@code data-quality-merge}),
 * kept so that the windows a savepoint of that release holds are not lost: their contents are
 * counts already rolled up to model version and overall, which no stage of the sliced metric can
 * take in as they are. Fed by no events any more, the window only fires what it restored, as totals
 * of a source slice of their own ({@link #PREVIOUS_RELEASE}) that the totals stage adds to the
 * slice's other contributions. Remove it with the release after this one.
 */
public class QualityMerge implements ReduceFunction<QualityTally> {
    private static final long serialVersionUID = 1L;

    /** The source slice of restored contents: no fine slice has this key. */
    public static final String PREVIOUS_RELEASE = PreviousReleaseContents.SOURCE_SLICE;

    private final int maxFeatures;

    public QualityMerge(int maxFeatures) {
        this.maxFeatures = maxFeatures;
    }

    @Override
    public QualityTally reduce(QualityTally a, QualityTally b) {
        a.counts.merge(b.counts, maxFeatures);
        return a;
    }

    /** The key of a tally's slice: its model version, or empty for overall. */
    public static String sliceKey(QualityTally tally) {
        return tally.modelVersion == null ? DataQualityMetric.OVERALL : tally.modelVersion;
    }

    /** Hands a restored window's contents to the totals as a contribution of its own. */
    public static class Restored extends PreviousReleaseContents<QualityTally, DataQualityCounts> {
        private static final long serialVersionUID = 1L;

        @Override
        protected DataQualityCounts accumulatorOf(QualityTally merged) {
            return merged.counts;
        }
    }
}
