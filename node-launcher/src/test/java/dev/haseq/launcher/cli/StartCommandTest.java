package dev.haseq.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.api.storage.StorageException;
import dev.haseq.api.testing.FreePorts;
import dev.haseq.launcher.wiring.HaseqNode;
import dev.haseq.launcher.wiring.SelectedProviders;
import dev.haseq.node.sign.KeyFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code haseq start} run in this JVM on a real single node (native Raft, file log store, on
 * 127.0.0.1), with its stop requests coming from the test instead of process signals: how it ends
 * decides its exit code, which is what a supervisor ({@code Restart=on-failure}) acts on.
 */
class StartCommandTest {
    /** Generous upper bound for start-up and for the graceful stop on a busy 2-core machine. */
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String STARTED = "HTTP API listening on";

    @TempDir
    Path home;

    private final LogLines log = new LogLines();
    private final Logger launcherLogger = (Logger) LoggerFactory.getLogger("dev.haseq.launcher");
    private final AtomicReference<ShutdownSignals> signals = new AtomicReference<>();
    private final StringWriter err = new StringWriter();
    private int apiPort;
    private CompletableFuture<Integer> exit;

    /** Collects the launcher's log lines ("LEVEL message") from whichever thread logs them. */
    private static final class LogLines extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            lines.add(e.getLevel() + " " + e.getFormattedMessage());
        }
    }

    @BeforeEach
    void captureLog() {
        log.setContext(launcherLogger.getLoggerContext());
        log.start();
        launcherLogger.addAppender(log);
    }

    @AfterEach
    void stopWhatStillRuns() throws Exception {
        try {
            if (exit != null && !exit.isDone() && signals.get() != null) {
                signals.get().request("test cleanup");
                exit.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            launcherLogger.detachAppender(log);
        }
    }

    /** The start command, building its node from the selected providers as changed by {@code providers}. */
    private StartCommand command(UnaryOperator<SelectedProviders> providers) {
        return new StartCommand(new LaunchEnvironment(Map.of(), home), config -> {
            try {
                KeyFile.loadOrCreate(config.node().signerKey(), new SecureRandom());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return HaseqNode.create(config, Clock.systemUTC(), providers.apply(SelectedProviders.select(config)));
        }, report -> {
            ShutdownSignals s = ShutdownSignals.requestedByCalls(report);
            signals.set(s);
            return s;
        });
    }

    /** Runs {@code start} on its own thread (it blocks until stopped) and waits until the node is up. */
    private void startAndAwaitRunning(StartCommand command) throws InterruptedException {
        List<Integer> ports = FreePorts.pick(2);
        apiPort = ports.get(1);
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        String[] args = {"--home", home.toString(), "--evnode.node.aggregator=true", "--evnode.node.block_time=50ms",
            "--evnode.raft.raft_addr=127.0.0.1:" + ports.get(0), "--evnode.rpc.address=127.0.0.1:" + apiPort,
            "--evnode.raft.log_store=file"};
        exit = CompletableFuture.supplyAsync(() -> cl.execute(args),
                r -> Thread.ofPlatform().name("haseq-start-under-test").daemon(true).start(r));
        Instant deadline = Instant.now().plus(BOUND);
        while (log.lines.stream().noneMatch(l -> l.contains(STARTED))) {
            if (exit.isDone() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("the node did not start within " + BOUND.toSeconds() + "s"
                        + (exit.isDone() ? " (start returned " + exit.join() + ")" : "") + "; stderr: " + err
                        + "; log:\n" + String.join("\n", log.lines));
            }
            Thread.sleep(20);
        }
    }

    private int awaitExit() throws Exception {
        try {
            return exit.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("start did not return within " + BOUND.toSeconds() + "s; log:\n"
                    + String.join("\n", log.lines), e);
        }
    }

    /**
     * Wraps the configured log store provider: once {@code broken} is set, every {@code sync} fails
     * as a dying disk's would, which the consensus node must treat as fatal (fail-stop).
     */
    private static SelectedProviders withBreakableLog(SelectedProviders p, AtomicBoolean broken) {
        LogStoreProvider real = p.logStore();
        LogStoreProvider breakable = new LogStoreProvider() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public LogStore open(StorageContext context) {
                LogStore store = real.open(context);
                return (LogStore) Proxy.newProxyInstance(LogStore.class.getClassLoader(), new Class<?>[] {LogStore.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("sync") && broken.get()) {
                                throw new StorageException("sync of raft-log failed: Input/output error (simulated)");
                            }
                            try {
                                return method.invoke(store, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
        return new SelectedProviders(p.consensus(), breakable, p.stableStore(), p.snapshotStore(), p.blockStore(),
                p.executor(), p.da());
    }

    private void assertApiClosed() {
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), apiPort).close())
                .as("the HTTP API on port " + apiPort + " is closed")
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aFatalConsensusErrorWhileRunningStopsTheNodeGracefullyAndExitsOne() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        startAndAwaitRunning(command(p -> withBreakableLog(p, broken)));

        broken.set(true); // the leader syncs its log for the next block, 50ms from now at most

        assertThat(awaitExit()).as("exit code; log:\n" + String.join("\n", log.lines)).isEqualTo(1);
        assertThat(log.lines).anySatisfy(l -> assertThat(l).startsWith("INFO a fatal consensus error (")
                .contains("(simulated)").contains("stopping node"));
        assertThat(log.lines).anySatisfy(l -> assertThat(l).contains("stopped at height"));
        assertThat(log.lines).anySatisfy(l -> assertThat(l)
                .startsWith("ERROR stopped after a fatal consensus error: ")
                .contains("sync of raft-log failed: Input/output error (simulated)")
                .endsWith("; exiting 1"));
        assertThat(log.lines).noneSatisfy(l -> assertThat(l).contains("stopped cleanly"));
        assertApiClosed();
    }

    @Test
    void aStopRequestStopsTheNodeAndExitsZero() throws Exception {
        startAndAwaitRunning(command(p -> p));

        signals.get().request("SIGTERM");

        assertThat(awaitExit()).as("exit code; log:\n" + String.join("\n", log.lines)).isZero();
        assertThat(log.lines).contains("INFO stopped cleanly");
        assertThat(log.lines).anySatisfy(l -> assertThat(l).startsWith("INFO SIGTERM: stopping node"));
        assertThat(log.lines).noneSatisfy(l -> assertThat(l).contains("fatal consensus error"));
        assertApiClosed();
    }

    @Test
    void anInvalidConfigurationIsReportedUnderTheCommandsNameAndExitsOneBeforeAnyNodeIsBuilt() {
        Cli r = Cli.run("start", "--home", home.toString(), "--evnode.raft.heartbeat_timeout=500ms",
                "--evnode.raft.election_timeout=100ms");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("haseq start: the configuration is invalid")
                .contains("raft.election_timeout");
        assertThat(log.lines).noneSatisfy(l -> assertThat(l).contains("starting node"));
    }
}
