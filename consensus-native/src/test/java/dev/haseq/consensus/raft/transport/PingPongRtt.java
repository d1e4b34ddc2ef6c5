package dev.haseq.consensus.raft.transport;

import dev.haseq.api.HostPort;
import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.testing.FreePorts;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Loopback round-trip time of one payload through two {@link NettyTransport}s (part of the Raft
 * benchmark's "raw floor"): a sends to b, b's handler echoes it straight back on its I/O thread, a
 * waits for it. Run: {@code java ... PingPongRtt [payloadBytes] [rounds] [warmup]}.
 */
public final class PingPongRtt {

    /** p50, p99 and max of the measured round trips, in microseconds. */
    public record Result(int payloadBytes, int rounds, double p50Micros, double p99Micros, double maxMicros) {
        @Override
        public String toString() {
            return String.format("loopback %d B ping-pong RTT over %d rounds: p50 %.1f us, p99 %.1f us, max %.1f us",
                    payloadBytes, rounds, p50Micros, p99Micros, maxMicros);
        }
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        System.out.println(measure(size, rounds, warmup));
    }

    public static Result measure(int size, int rounds, int warmup) throws Exception {
        List<Integer> ports = FreePorts.pick(2);
        NodeId a = NodeId.of("ping");
        NodeId b = NodeId.of("pong");
        BlockingQueue<byte[]> back = new ArrayBlockingQueue<>(4);
        NettyTransport[] pong = new NettyTransport[1];
        TransportConfig ca = TransportConfig.of(a, new HostPort("127.0.0.1", ports.get(0)),
                List.of(new PeerAddress(b, new HostPort("127.0.0.1", ports.get(1)))));
        TransportConfig cb = TransportConfig.of(b, new HostPort("127.0.0.1", ports.get(1)),
                List.of(new PeerAddress(a, new HostPort("127.0.0.1", ports.get(0)))));
        try (NettyTransport ta = new NettyTransport(ca, (from, p) -> back.add(p), TransportListener.NONE,
                Clock.systemUTC(), new SplittableRandom(1));
             NettyTransport tb = new NettyTransport(cb, (from, p) -> pong[0].send(from, p), TransportListener.NONE,
                     Clock.systemUTC(), new SplittableRandom(2))) {
            pong[0] = tb;
            ta.start();
            tb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(ta.status(b).connected() && tb.status(a).connected())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("transports did not connect within 10 s");
                }
                Thread.sleep(5);
            }
            byte[] payload = new byte[size];
            long[] rtt = new long[rounds];
            for (int i = 0; i < warmup + rounds; i++) {
                long t0 = System.nanoTime();
                ta.send(b, payload);
                if (back.poll(5, TimeUnit.SECONDS) == null) {
                    throw new IllegalStateException("no echo within 5 s at round " + i);
                }
                long t1 = System.nanoTime();
                if (i >= warmup) {
                    rtt[i - warmup] = t1 - t0;
                }
            }
            Arrays.sort(rtt);
            return new Result(size, rounds, rtt[rounds / 2] / 1e3, rtt[(int) (rounds * 0.99)] / 1e3,
                    rtt[rounds - 1] / 1e3);
        }
    }
}
