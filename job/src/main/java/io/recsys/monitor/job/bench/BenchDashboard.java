package io.recsys.monitor.job.bench;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.job.dashboard.DashboardPage;
import io.recsys.monitor.job.dashboard.DashboardServer;
import io.recsys.monitor.job.dashboard.RunOutputs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Set;

/**
 * The live dashboard of a bench run: the server of {@code run} on the bench's output files, on the
 * loopback, and a {@link LivePageClient} asking it for data as the page does. Besides the
 * throughput of the run, it says how much CPU its threads took: the server's (the JDK server's
 * dispatcher and the dashboard's handler, where the files are read and the data object built) and
 * the client's.
 */
final class BenchDashboard implements AutoCloseable {
    /** The JDK HTTP server's thread that accepts connections and reads requests. */
    private static final String JDK_DISPATCHER = "HTTP-Dispatcher";

    private static final Set<String> THREADS =
            Set.of(DashboardServer.THREAD_NAME, JDK_DISPATCHER, LivePageClient.THREAD_NAME);

    private final DashboardServer server;
    private final LivePageClient client;
    private final RunOutputs outputs;

    private BenchDashboard(DashboardServer server, LivePageClient client, RunOutputs outputs) {
        this.server = server;
        this.client = client;
        this.outputs = outputs;
    }

    static BenchDashboard start(Path outputDir, AlarmCatalog catalog) throws IOException {
        RunOutputs outputs = new RunOutputs(outputDir, catalog);
        DashboardServer server = DashboardServer.start("127.0.0.1", 0, outputs);
        LivePageClient client = new LivePageClient(server.port(), DashboardPage.POLL_INTERVAL);
        client.start();
        return new BenchDashboard(server, client, outputs);
    }

    /** Stops the client and says what the dashboard did and cost while the job ran. */
    BenchReport.DashboardLoad stop() throws InterruptedException {
        // Before the client's thread ends: a finished thread has no CPU time to ask for.
        long cpu = threadCpuNanos();
        client.close();
        BenchReport.DashboardLoad load = new BenchReport.DashboardLoad();
        load.requests = client.requests();
        load.fullAnswers = client.fullAnswers();
        load.failedRequests = client.failures();
        load.bytes = client.bytes();
        load.records = outputs.records();
        load.cpuNanos = cpu;
        load.pollIntervalMs = DashboardPage.POLL_INTERVAL.toMillis();
        return load;
    }

    private static long threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (THREADS.contains(thread.getName())) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        server.close();
    }
}
