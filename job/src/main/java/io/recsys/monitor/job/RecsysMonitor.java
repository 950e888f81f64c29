package io.recsys.monitor.job;

import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.job.cli.AlarmQualityCommand;
import io.recsys.monitor.job.cli.BenchCommand;
import io.recsys.monitor.job.cli.DriftQualityCommand;
import io.recsys.monitor.job.cli.ExportCommand;
import io.recsys.monitor.job.cli.GenerateCommand;
import io.recsys.monitor.job.cli.ReferenceCommand;
import io.recsys.monitor.job.cli.ReportCommand;
import io.recsys.monitor.job.cli.RunCommand;
import io.recsys.monitor.job.cli.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The entry point of the application jar and of {@code bin/recsys-monitor}. With no arguments it
 * runs the monitoring job (what Managed Service for Apache Flink does); otherwise the first
 * argument names a command.
 */
@Command(
        name = "recsys-monitor",
        mixinStandardHelpOptions = true,
        version = "recsys-monitor 0.1.0",
        description = "Real-time monitoring of ML recommendation systems on Apache Flink.",
        subcommands = {
            RunCommand.class,
            GenerateCommand.class,
            ReferenceCommand.class,
            ReportCommand.class,
            ExportCommand.class,
            BenchCommand.class,
            AlarmQualityCommand.class,
            DriftQualityCommand.class
        })
public final class RecsysMonitor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RecsysMonitor.class);

    public static void main(String[] args) {
        String[] effective = args.length == 0 ? new String[] {"run"} : args;
        int exit = commandLine().execute(effective);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /** The command line with its subcommands, for tests that call it without exiting. */
    public static CommandLine commandLine() {
        return new CommandLine(new RecsysMonitor())
                .setExecutionExceptionHandler(
                        (e, cmd, parsed) -> {
                            if (e instanceof io.recsys.monitor.config.ConfigException
                                    || e instanceof IllegalArgumentException) {
                                cmd.getErr().println("recsys-monitor: " + e.getMessage());
                                return 2;
                            }
                            Throwable userFacing = userFacing(e);
                            if (userFacing != null) {
                                LOG.error(
                                        "event=run_failed reason=\"{}\"",
                                        userFacing.getMessage(),
                                        e);
                                cmd.getErr().println("recsys-monitor: " + userFacing.getMessage());
                                return 1;
                            }
                            // Anything else (a job that used up its restarts on a failure that
                            // looked transient, a bug): the cause in one line, without Flink's
                            // wrapping; the whole trace goes to the log.
                            String cause = rootCause(e);
                            LOG.error("event=run_failed reason=\"{}\"", cause, e);
                            cmd.getErr().println("recsys-monitor: the run failed: " + cause);
                            return 1;
                        });
    }

    /**
     * The error in {@code e}'s cause chain that the user can act on: a {@link UserError} or an
     * {@link UnrecoverableFailure} of the job; null when there is none.
     */
    static Throwable userFacing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UserError || t instanceof UnrecoverableFailure) {
                return t;
            }
        }
        return null;
    }

    /** The innermost cause of {@code e} as one line: its type and message. */
    static String rootCause(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
        }
        String message = root.getMessage();
        String line =
                message == null || message.isBlank()
                        ? root.getClass().getName()
                        : root.getClass().getSimpleName() + ": " + message;
        return line.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
