package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.RawLine;
import io.recsys.monitor.text.UnicodeText;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Parses raw JSON lines into {@link InputRecord}s and keeps event times nobody can believe from
 * reaching the watermarks: the Flink side of {@link EventTimeGuard}, chained between a source and
 * its watermark assigner. Bad input becomes a dead letter inside the record, so that one malformed
 * line never fails the job nor the lines around it; an event whose time is out of range becomes a
 * {@code time_out_of_range} dead letter, which has no event time.
 *
 * <p>Parsing and guarding are one operator because a rejected event's dead letter carries its raw
 * text, and a held event is checkpointed as that text ({@link HeldLine}, parsed again on restore),
 * which is smaller than the parsed event and needs no serializer of its own.
 *
 * <p>With {@code live} (event time follows the clock) the wall-clock rule applies and nothing is
 * held; otherwise the replay rules of {@link EventTimeGuard}. A zero skew turns the guard off. The
 * end of input (or the final watermark, which a finished source sends before it) releases or
 * rejects what is still held before the watermark passes, so that nothing released is late for that
 * reason alone.
 */
public class GuardedParse<IN> extends AbstractStreamOperator<InputRecord>
        implements OneInputStreamOperator<IN, InputRecord>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /**
     * How a source hands over its lines: as text (the generator, tests) or as the bytes of a file
     * line ({@link RawLine}, which the parser checks as UTF-8 instead of decoding leniently).
     */
    public static final class LineReader<IN> implements Serializable {
        private static final long serialVersionUID = 1L;

        private final Parse<IN> parse;

        /**
         * The text of a line the parser accepted, as a held event is checkpointed and a rejected
         * one quoted. Only asked for lines that are held or rejected for their time.
         */
        private final SerializableFunction<IN, String> text;

        private LineReader(Parse<IN> parse, SerializableFunction<IN, String> text) {
            this.parse = parse;
            this.text = text;
        }
    }

    /** How {@link EventParser} reads a line of one form. */
    private interface Parse<IN> extends Serializable {
        InputRecord parse(EventParser parser, IN line, String source, long receivedAtMillis);
    }

    /** Lines as text. */
    public static final LineReader<String> TEXT =
            new LineReader<>(EventParser::parse, line -> line);

    /** Lines of a file as bytes. */
    public static final LineReader<RawLine> BYTES =
            new LineReader<>(EventParser::parse, GuardedParse::acceptedText);

    /** State names: stable, so that savepoints restore. */
    static final String HELD_STATE = "event-time-guard-held";

    static final String REFERENCE_STATE = "event-time-guard-reference";

    private final LineReader<IN> reader;
    private final EventLimits limits;
    private final String source;
    private final Duration skew;
    private final boolean live;
    private final int corroboration;
    private final int patience;
    private final int capacity;

    private transient EventParser parser;
    private transient EventTimeGuard<Line<IN>> guard;
    private transient EventTimeGuard.Decisions<Line<IN>> decisions;
    private transient ListState<HeldLine> heldState;
    private transient ListState<Long> referenceState;
    private transient Counter outOfRange;
    private transient List<Line<IN>> restoredUnguarded;

    public GuardedParse(
            LineReader<IN> reader, EventLimits limits, String source, Duration skew, boolean live) {
        this(
                reader,
                limits,
                source,
                skew,
                live,
                EventTimeGuard.DEFAULT_CORROBORATION,
                EventTimeGuard.DEFAULT_PATIENCE,
                EventTimeGuard.DEFAULT_CAPACITY);
    }

    public GuardedParse(
            LineReader<IN> reader,
            EventLimits limits,
            String source,
            Duration skew,
            boolean live,
            int corroboration,
            int patience,
            int capacity) {
        this.reader = reader;
        this.limits = limits;
        this.source = source;
        this.skew = skew;
        this.live = live;
        this.corroboration = corroboration;
        this.patience = patience;
        this.capacity = capacity;
        // It sits between a source and its watermark assigner, and must see every event of its
        // split in order before the assigner does.
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        parser = new EventParser(limits);
        restoredUnguarded = new ArrayList<>();
        heldState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        HELD_STATE, TypeInformation.of(HeldLine.class)));
        referenceState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>(REFERENCE_STATE, Types.LONG));
        List<EventTimeGuard.Held<Line<IN>>> held = new ArrayList<>();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        for (HeldLine line : heldState.get()) {
            Line<IN> restored = Line.restored(line.raw, parser.parse(line.raw, source, now));
            held.add(
                    new EventTimeGuard.Held<>(restored, line.eventTime, line.support, line.waited));
        }
        if (skew.isZero() || live) {
            // Lines held by a replay run before this configuration: judged like new input, by the
            // rule now in force, before it (nothing restored may vanish).
            held.forEach(h -> restoredUnguarded.add(h.event));
            return;
        }
        guard = new EventTimeGuard<>(skew, corroboration, patience, capacity);
        // After a rescale a subtask may get several references, or held lines without one; the
        // newest reference is the stream's, and held lines are judged again from there.
        long reference = EventTimeGuard.NO_REFERENCE;
        for (Long r : referenceState.get()) {
            reference = Math.max(reference, r);
        }
        guard.restore(reference, held);
    }

    @Override
    public void open() throws Exception {
        super.open();
        // The group Managed Service for Apache Flink forwards to CloudWatch, as SplitInput's.
        MetricGroup group = getMetricGroup().addGroup("kinesisanalytics");
        outOfRange = group.counter("eventsTimeOutOfRange");
        group.gauge("eventsHeldForEventTime", () -> guard == null ? 0 : guard.held().size());
        decisions =
                new EventTimeGuard.Decisions<Line<IN>>() {
                    @Override
                    public void accept(Line<IN> line) {
                        output.collect(new StreamRecord<>(line.record));
                    }

                    @Override
                    public void reject(Line<IN> line, String reason) {
                        rejectForTime(line.text(reader), reason);
                    }
                };
    }

    @Override
    public void processElement(StreamRecord<IN> element) {
        passRestoredUnguarded();
        IN input = element.getValue();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        pass(Line.read(input, reader.parse.parse(parser, input, source, now)), now);
    }

    private void pass(Line<IN> line, long now) {
        InputRecord record = line.record;
        if (record.deadLetter != null || skew.isZero()) {
            output.collect(new StreamRecord<>(record));
        } else if (live) {
            String reason = EventTimeGuard.aheadOfClock(record.eventTime(), now, skew);
            if (reason == null) {
                output.collect(new StreamRecord<>(record));
            } else {
                rejectForTime(line.text(reader), reason);
            }
        } else {
            guard.offer(line, record.eventTime(), decisions);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            endInput();
        }
        super.processWatermark(mark);
    }

    private void passRestoredUnguarded() {
        if (restoredUnguarded.isEmpty()) {
            return;
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        for (Line<IN> line : restoredUnguarded) {
            pass(line, now);
        }
        restoredUnguarded.clear();
    }

    @Override
    public void endInput() {
        passRestoredUnguarded();
        if (guard != null) {
            guard.endOfInput(decisions);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        heldState.clear();
        referenceState.clear();
        for (Line<IN> line : restoredUnguarded) {
            heldState.add(new HeldLine(line.text(reader), line.record.eventTime(), 0, 0));
        }
        if (guard == null) {
            return;
        }
        if (guard.reference() != EventTimeGuard.NO_REFERENCE) {
            referenceState.add(guard.reference());
        }
        for (EventTimeGuard.Held<Line<IN>> h : guard.held()) {
            heldState.add(new HeldLine(h.event.text(reader), h.eventTime, h.support, h.waited));
        }
    }

    private void rejectForTime(String raw, String reason) {
        outOfRange.inc();
        output.collect(
                new StreamRecord<>(
                        parser.deadLetter(
                                DeadLetter.Reason.TIME_OUT_OF_RANGE,
                                reason,
                                raw,
                                source,
                                getProcessingTimeService().getCurrentProcessingTime())));
    }

    /**
     * The text of a file line the parser accepted: whole, well-formed UTF-8, so decoding loses
     * nothing. Its byte-order mark, which the parser skipped, is left out of the text.
     */
    private static String acceptedText(RawLine line) {
        int from =
                UnicodeText.startsWithBom(line.bytes, line.bytes.length)
                        ? UnicodeText.bomLength()
                        : 0;
        return new String(line.bytes, from, line.bytes.length - from, StandardCharsets.UTF_8);
    }

    /**
     * An event as the guard holds it: the parsed record, and the line it came from, whose text is
     * made only when the event is held at a checkpoint or rejected (for bytes, a decoding).
     */
    private static final class Line<IN> {
        /** Null for a line restored from its text. */
        private final IN input;

        private String text;
        final InputRecord record;

        private Line(IN input, String text, InputRecord record) {
            this.input = input;
            this.text = text;
            this.record = record;
        }

        static <IN> Line<IN> read(IN input, InputRecord record) {
            return new Line<>(input, null, record);
        }

        static <IN> Line<IN> restored(String text, InputRecord record) {
            return new Line<>(null, text, record);
        }

        String text(LineReader<IN> reader) {
            if (text == null) {
                text = reader.text.apply(input);
            }
            return text;
        }
    }
}
