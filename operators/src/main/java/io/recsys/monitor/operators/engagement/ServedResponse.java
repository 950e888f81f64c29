package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.ListTypeInfoFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What attribution remembers of a prediction while its feedback may still arrive: enough to label
 * the feedback (model version, segment) and to find the rank of the item acted on, and nothing
 * about the user.
 */
public class ServedResponse {
    public long eventTime;
    public String modelVersion;
    public String userSegment;

    @TypeInfo(ListTypeInfoFactory.class)
    public List<String> itemIds = new ArrayList<>();

    public ServedResponse() {}

    /** 1-based rank of {@code itemId} in the response, 0 when it was not recommended. */
    public int rankOf(String itemId) {
        int i = itemIds.indexOf(itemId);
        return i < 0 ? 0 : i + 1;
    }
}
