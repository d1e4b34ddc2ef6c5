package dev.haseq.launcher.cli;

import dev.haseq.api.config.ConfigException;
import dev.haseq.api.config.ConfigProblem;
import dev.haseq.launcher.config.ConfigLoad;
import dev.haseq.launcher.config.HaseqConfig;
import dev.haseq.launcher.wiring.HaseqNode;
import dev.haseq.launcher.wiring.NodeStartException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code haseq start}: the service. Loads the configuration as {@code config check} does (errors:
 * printed, exit 1), builds and starts the node, then runs until SIGTERM or SIGINT, on which it stops
 * gracefully — stop producing, hand leadership to a healthy peer and wait for it (bounded), close
 * the stores — and exits 0. A start-up failure (missing key, port in use, a raft_dir that belongs to
 * another node) is logged with its cause and exits 1; so is a fatal consensus error while running
 * (a store that cannot persist, a failing state machine): the node stops the same way and exits 1,
 * so its supervisor restarts it.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Run the node until SIGTERM/SIGINT, then stop gracefully (a leader hands over first) "
                + "and exit 0.",
            "Configuration as for 'haseq config check': --config, --home, EVNODE_* variables, --evnode.* flags. "
                + "Invalid configuration, a failed start or a fatal consensus error while running exits 1.",
            "Logs go to standard output; HASEQ_LOG_LEVEL=DEBUG shows one line per block."},
        footerHeading = "%nConfiguration flags:%n",
        footer = {"  --evnode.<key>=<value> | --evnode.<key> <value>",
            "      Set any key, e.g. --evnode.raft.heartbeat_timeout=92ms."})
final class StartCommand extends ConfigLoadingCommand {
    /** Upper bound for the graceful stop; past it the process exits 1 without waiting further. */
    static final Duration STOP_BOUND = Duration.ofSeconds(60);
    /** The system property the log pattern reads the node id from (see logback.xml). */
    static final String LOG_NODE_PROPERTY = "haseq.node";

    private final Function<HaseqConfig, HaseqNode> nodes;
    private final Function<Consumer<String>, ShutdownSignals> stopRequests;

    StartCommand(LaunchEnvironment environment) {
        this(environment, config -> HaseqNode.create(config, Clock.systemUTC()), ShutdownSignals::install);
    }

    /**
     * @param nodes        builds the node from the loaded configuration ({@link HaseqNode#create})
     * @param stopRequests where stop requests come from, given where to report them
     *                     ({@link ShutdownSignals#install}: SIGTERM and SIGINT)
     */
    StartCommand(LaunchEnvironment environment, Function<HaseqConfig, HaseqNode> nodes,
                 Function<Consumer<String>, ShutdownSignals> stopRequests) {
        super(environment);
        this.nodes = nodes;
        this.stopRequests = stopRequests;
    }

    @Override
    public Integer call() throws InterruptedException {
        ConfigLoad load = loadConfig();
        if (load.config().isEmpty()) {
            return invalid(load);
        }
        HaseqConfig config = load.config().get();
        // Before the first logger exists, so every line carries the node id.
        System.setProperty(LOG_NODE_PROPERTY, config.raft().nodeId().value());
        Logger log = LoggerFactory.getLogger("dev.haseq.launcher");
        log.info("haseq {} starting with {}", VersionCommand.haseqVersion(),
                config.configFile().map(f -> "config file " + f).orElse("no config file (defaults, environment, flags)"));
        for (ConfigProblem w : config.warnings()) {
            log.warn("configuration: {}", w.message());
        }
        ShutdownSignals signals = stopRequests.apply(log::info);
        try {
            return run(config, signals, log);
        } finally {
            // whatever happened, a JVM shutdown hook must not wait for a stop that will not come
            signals.finished();
        }
    }

    private int run(HaseqConfig config, ShutdownSignals signals, Logger log) throws InterruptedException {
        HaseqNode node;
        try {
            node = nodes.apply(config);
        } catch (ConfigException e) {
            return invalid(e, config.warnings());
        } catch (Exception e) { // Netty and others throw checked exceptions unchecked: catch everything here
            fail(log, "cannot build the node: " + e.getMessage(), e);
            return 1;
        }
        AtomicReference<Throwable> consensusFailure = new AtomicReference<>();
        node.onConsensusFailure(cause -> {
            consensusFailure.compareAndSet(null, cause);
            signals.request("a fatal consensus error (" + cause + ")");
        });
        try {
            node.start();
        } catch (Exception e) {
            fail(log, "cannot start the node: " + e.getMessage(), e);
            node.close();
            return 1;
        }
        String reason = signals.awaitRequest();
        log.info("{}: stopping node {}", reason, node.id());
        Thread watchdog = Thread.ofPlatform().daemon().name("haseq-stop-watchdog").start(() -> {
            try {
                Thread.sleep(STOP_BOUND.toMillis());
                log.error("the graceful stop did not finish within {}s; exiting anyway", STOP_BOUND.toSeconds());
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                // stopped in time
            }
        });
        node.close();
        watchdog.interrupt();
        Throwable failure = consensusFailure.get();
        if (failure != null) {
            // Not a clean stop: exit non-zero so a supervisor (systemd Restart=on-failure) restarts
            // the node, which rejoins from its data once the cause is fixed.
            log.error("stopped after a fatal consensus error: {}; exiting 1", failure.toString());
            return 1;
        }
        log.info("stopped cleanly");
        return 0;
    }

    /** A start-up failure: one line on stderr for the operator, the stack trace in the log. */
    private void fail(Logger log, String message, Exception e) {
        log.error(message, e instanceof NodeStartException ? null : e);
        err().println(commandName() + ": " + message);
        err().flush();
    }
}
