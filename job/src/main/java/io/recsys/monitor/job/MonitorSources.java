package io.recsys.monitor.job;

import io.recsys.monitor.model.InputRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the job's input comes from: a stream of parsed events with event time and watermarks
 * already assigned. The job graph is the same whatever implements it (generator, files, Kinesis, or
 * a test's fixed list).
 */
public interface MonitorSources {
    DataStream<InputRecord> input(StreamExecutionEnvironment env);
}
