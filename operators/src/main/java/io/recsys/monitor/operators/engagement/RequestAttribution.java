package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.FeedbackEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * All that attribution keeps for one request, in one state entry: the response while its window is
 * open, the event time of a response whose window closed (remembered for another window), and the
 * feedback that arrived before its prediction. On RocksDB every state of a key is a separate read
 * and write; in one entry, an event or a timer costs one read and at most one write or delete.
 */
public class RequestAttribution {
    /** The response held while its window is open; null when none is. */
    public ServedResponse response;

    /** The event time of the response whose window closed; null when none is remembered. */
    public Long closedResponseTime;

    /** Feedback that came before its prediction, in order of arrival. */
    public List<FeedbackEvent> waiting = new ArrayList<>();

    public RequestAttribution() {}

    /** Whether nothing is left to keep, so that the entry can be deleted. */
    public boolean isEmpty() {
        return response == null && closedResponseTime == null && waiting.isEmpty();
    }
}
