package io.recsys.monitor.operators.ingest;

/**
 * A raw input line that {@link GuardedParse} holds back for its event time, as checkpointed: the
 * text (parsed again on restore, since parsing is deterministic) and what the stream has said about
 * it since. A POJO, so that the state needs no Kryo.
 */
public class HeldLine {
    public String raw;
    public long eventTime;
    public int support;
    public int waited;

    public HeldLine() {}

    public HeldLine(String raw, long eventTime, int support, int waited) {
        this.raw = raw;
        this.eventTime = eventTime;
        this.support = support;
        this.waited = waited;
    }
}
