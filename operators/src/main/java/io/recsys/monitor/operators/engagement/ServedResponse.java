package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.ListTypeInfoFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What attribution remembers of a prediction while its feedback may still arrive: enough to label
 * the feedback (model version, segment), to find the rank of the item acted on, and the ranks of
 * the items found relevant so far (for the online ranking metrics when the window closes), and
 * nothing about the user. Both lists are bounded by the recommendations of one response.
 */
public class ServedResponse {
    public long eventTime;
    public String modelVersion;
    public String userSegment;

    @TypeInfo(ListTypeInfoFactory.class)
    public List<String> itemIds = new ArrayList<>();

    /** Distinct 1-based ranks of the items the user engaged with so far. */
    @TypeInfo(ListTypeInfoFactory.class)
    public List<Integer> relevantRanks = new ArrayList<>();

    public ServedResponse() {}

    /** 1-based rank of {@code itemId} in the response, 0 when it was not recommended. */
    public int rankOf(String itemId) {
        int i = itemIds.indexOf(itemId);
        return i < 0 ? 0 : i + 1;
    }

    /** Marks the item at {@code rank} relevant; returns whether that changed anything. */
    public boolean markRelevant(int rank) {
        if (rank <= 0 || relevantRanks.contains(rank)) {
            return false;
        }
        relevantRanks.add(rank);
        return true;
    }
}
