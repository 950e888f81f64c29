package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Makes a model version's (the key's) drift reports and metric points of a window from the parts
 * that its units' windows gave ({@link RollingDriftFunction}, {@link WindowDriftPart}): the feature
 * reports in the profile's order, the model report ({@code _model}: drifted features, smallest
 * p-value, largest effect, the window's events) with {@code FeatureDrift} and {@code
 * DriftedFeatureShare}, then the prediction report with its retraining flag ({@link
 * WindowDriftEvaluator#combine}). Reports are the main output, metric points the {@link #METRICS}
 * side output, in the order the evaluator gave them for the whole window.
 *
 * <p>A unit without values in a window gives no part, so the parts cannot be counted in: they are
 * held until an event-time timer at the window's end. A unit's part leaves its operator before the
 * watermark that passes the window's end, so by then every part of the window is here. Light work:
 * a few small records per unit and window.
 */
public final class ModelDriftCombiner
        extends KeyedProcessFunction<String, WindowDriftPart, DriftReport> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<MetricPoint> METRICS =
            new OutputTag<MetricPoint>("drift-metrics") {
                private static final long serialVersionUID = 1L;
            };

    private static final ListStateDescriptor<WindowDriftPart> HELD =
            new ListStateDescriptor<>("drift-window-parts", WindowDriftPart.TYPE);

    private final DriftRules rules;
    private final String namespace;
    private final long slideMillis;

    private transient ListState<WindowDriftPart> held;
    private transient WindowDriftEvaluator evaluator;

    /**
     * @param rules, namespace and slideMillis as the rolling drift operator's
     */
    public ModelDriftCombiner(DriftRules rules, String namespace, long slideMillis) {
        this.rules = rules;
        this.namespace = namespace;
        this.slideMillis = slideMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        held = getRuntimeContext().getListState(HELD);
        evaluator = new WindowDriftEvaluator(rules, namespace, slideMillis);
    }

    @Override
    public void processElement(WindowDriftPart part, Context ctx, Collector<DriftReport> out)
            throws Exception {
        held.add(part);
        ctx.timerService().registerEventTimeTimer(part.windowEnd - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DriftReport> out)
            throws Exception {
        TreeMap<Long, List<WindowDriftPart>> due = new TreeMap<>();
        List<WindowDriftPart> later = new ArrayList<>();
        Iterable<WindowDriftPart> all = held.get();
        if (all != null) {
            for (WindowDriftPart part : all) {
                if (part.windowEnd - 1 <= timestamp) {
                    due.computeIfAbsent(part.windowEnd, e -> new ArrayList<>()).add(part);
                } else {
                    later.add(part);
                }
            }
        }
        for (Map.Entry<Long, List<WindowDriftPart>> window : due.entrySet()) {
            WindowDriftEvaluator.Outcome outcome = evaluator.combine(window.getValue());
            outcome.reports.forEach(out::collect);
            outcome.metrics.forEach(point -> ctx.output(METRICS, point));
        }
        held.update(later);
    }
}
