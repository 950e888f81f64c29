package io.recsys.monitor.job.cli;

/**
 * An error the user can fix (a missing input, an output directory in use, a port taken), found
 * before or while the job starts. The command line prints its message as one line and exits with
 * status 1; the stack trace goes to the log only.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
