package io.recsys.monitor.sinks.deadletter;

/**
 * Fails the job when dead letters cannot be delivered for a reason a restart may heal: retries of a
 * passing failure ran out, or the service answered something unexpected. The restart strategy
 * decides what follows; the checkpointed buffer keeps the dead letters. (What no restart heals, a
 * missing queue or stream or a missing permission, fails with {@code UnrecoverableFailure}.)
 */
public final class DeadLetterSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeadLetterSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
