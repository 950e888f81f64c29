package io.recsys.monitor.job;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes records through while counting them in an accumulator, which a bounded replay reads back
 * for its summary once the job has finished.
 */
public class CountRecords<T> extends RichMapFunction<T, T> {
    private static final long serialVersionUID = 1L;

    private final String accumulatorName;
    private transient LongCounter counter;

    public CountRecords(String accumulatorName) {
        this.accumulatorName = accumulatorName;
    }

    @Override
    public void open(OpenContext openContext) {
        counter = new LongCounter();
        getRuntimeContext().addAccumulator(accumulatorName, counter);
    }

    @Override
    public T map(T value) {
        counter.add(1);
        return value;
    }
}
