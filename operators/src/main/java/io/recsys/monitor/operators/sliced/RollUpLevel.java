package io.recsys.monitor.operators.sliced;

import java.io.Serializable;

/**
 * One coarser level a slice rolls up into, such as "the slice's model version" or "overall": the
 * key of the coarser slice, or {@code null} when the slice has no part at that level (it is that
 * level or coarser already).
 */
@FunctionalInterface
public interface RollUpLevel extends Serializable {
    /** The key of the slice at this level that {@code slice} belongs to; null if none. */
    String coarser(String slice);
}
