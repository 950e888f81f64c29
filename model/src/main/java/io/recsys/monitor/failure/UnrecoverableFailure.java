package io.recsys.monitor.failure;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A failure that no restart can heal: a corrupt compressed input, a file that cannot be read,
 * access denied, a stream or topic that does not exist. Flink's failure handler does not restart a
 * job that fails with it anywhere in its cause chain ({@link ThrowableType#NonRecoverableError}),
 * so the run ends within seconds instead of looping; the command line prints its message, which
 * names the path or key to fix, as one line.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public class UnrecoverableFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnrecoverableFailure(String message) {
        super(message);
    }

    public UnrecoverableFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
