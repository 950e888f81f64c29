package io.recsys.monitor.model;

/**
 * What parsing one raw input yields: exactly one of a prediction, a feedback event or a dead
 * letter. A single type lets every source (generator, file, Kinesis) hand one stream to the job,
 * with event time assigned before the split.
 */
public class InputRecord {
    public PredictionEvent prediction;
    public FeedbackEvent feedback;
    public DeadLetter deadLetter;

    public InputRecord() {}

    public static InputRecord of(PredictionEvent prediction) {
        InputRecord r = new InputRecord();
        r.prediction = prediction;
        return r;
    }

    public static InputRecord of(FeedbackEvent feedback) {
        InputRecord r = new InputRecord();
        r.feedback = feedback;
        return r;
    }

    public static InputRecord of(DeadLetter deadLetter) {
        InputRecord r = new InputRecord();
        r.deadLetter = deadLetter;
        return r;
    }

    /** Event time of a valid event; {@link Long#MIN_VALUE} for a dead letter, which has none. */
    public long eventTime() {
        if (prediction != null) {
            return prediction.eventTime;
        }
        if (feedback != null) {
            return feedback.eventTime;
        }
        return Long.MIN_VALUE;
    }

    @Override
    public String toString() {
        return prediction != null
                ? prediction.toString()
                : feedback != null ? feedback.toString() : String.valueOf(deadLetter);
    }
}
