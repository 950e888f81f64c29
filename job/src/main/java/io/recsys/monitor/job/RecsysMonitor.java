package io.recsys.monitor.job;

import io.recsys.monitor.job.cli.BenchCommand;
import io.recsys.monitor.job.cli.ExportCommand;
import io.recsys.monitor.job.cli.GenerateCommand;
import io.recsys.monitor.job.cli.ReferenceCommand;
import io.recsys.monitor.job.cli.RunCommand;
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
            ExportCommand.class,
            BenchCommand.class
        })
public final class RecsysMonitor implements Runnable {

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
                            throw e;
                        });
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
