package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.DriftReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Puts the drift reports of all model versions in one order, window end then model version, each
 * model version's reports of a window in the order the evaluator made them. The drift operator's
 * parallel instances deliver their reports interleaved as they happen to arrive; held until the
 * watermark passes their window's end, they leave in the same order in every run, so that the same
 * input writes the same {@code drift.jsonl}, byte for byte.
 *
 * <p>Runs with one key (and parallelism 1): the reports of a slide are a few per feature and model
 * version, held for no longer than the watermark takes to pass the slide's end.
 */
public final class OrderedDriftReports
        extends KeyedProcessFunction<Integer, DriftReport, DriftReport> {
    private static final long serialVersionUID = 1L;

    /** The one key all reports are ordered under. */
    public static final Integer KEY = 0;

    private static final Comparator<DriftReport> ORDER =
            Comparator.<DriftReport>comparingLong(r -> r.windowEnd)
                    .thenComparing(r -> r.modelVersion, Comparator.nullsFirst(String::compareTo));

    private transient ListState<DriftReport> held;

    @Override
    public void open(OpenContext openContext) {
        held =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "drift-reports-held",
                                        TypeInformation.of(DriftReport.class)));
    }

    @Override
    public void processElement(DriftReport report, Context ctx, Collector<DriftReport> out)
            throws Exception {
        long due = report.windowEnd - 1;
        if (due <= ctx.timerService().currentWatermark()) {
            // Reports leave the drift operator before the watermark that passes their window.
            out.collect(report);
            return;
        }
        held.add(report);
        ctx.timerService().registerEventTimeTimer(due);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DriftReport> out)
            throws Exception {
        List<DriftReport> due = new ArrayList<>();
        List<DriftReport> later = new ArrayList<>();
        Iterable<DriftReport> all = held.get();
        if (all != null) {
            for (DriftReport r : all) {
                (r.windowEnd - 1 <= timestamp ? due : later).add(r);
            }
        }
        // A stable sort: a model version's reports of one window keep the evaluator's order.
        due.sort(ORDER);
        due.forEach(out::collect);
        held.update(later);
    }
}
