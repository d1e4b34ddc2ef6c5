package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.codec.CodecException;
import dev.haseq.consensus.raft.core.Message;
import dev.haseq.consensus.raft.core.MessageCodec;
import dev.haseq.consensus.raft.transport.MessageHandler;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Turns transport payloads into {@link Command.Inbound}s on the I/O thread (so decoding runs in
 * parallel with the Raft loop) and, once a read is done, lets the loop run a turn there
 * ({@link RaftLoop#runOrWake}). Drops, with a log line and a count, payloads that do not decode
 * and messages whose sender is not the peer the connection authenticated, or that are addressed
 * to another node.
 */
final class InboundDecoder implements MessageHandler {
    private static final System.Logger LOG = System.getLogger(InboundDecoder.class.getName());

    private final NodeId self;
    private final Consumer<Command> sink;
    private final Runnable readDone;
    private final LongAdder rejected = new LongAdder();

    /**
     * @param sink     takes each decoded message (on the I/O thread)
     * @param readDone runs once the read that delivered them is done (on the I/O thread)
     */
    InboundDecoder(NodeId self, Consumer<Command> sink, Runnable readDone) {
        this.self = self;
        this.sink = sink;
        this.readDone = readDone;
    }

    @Override
    public void onReadComplete() {
        readDone.run();
    }

    @Override
    public void onMessage(NodeId from, byte[] payload) {
        Message m;
        try {
            m = MessageCodec.decode(payload);
        } catch (CodecException e) {
            rejected.increment();
            LOG.log(System.Logger.Level.WARNING, "{0}: dropped an undecodable message from {1}: {2}", self, from,
                    e.getMessage());
            return;
        }
        if (!m.from().equals(from) || !m.to().equals(self)) {
            rejected.increment();
            LOG.log(System.Logger.Level.WARNING, "{0}: dropped a message from {1} claiming to be {2} -> {3}", self,
                    from, m.from(), m.to());
            return;
        }
        sink.accept(new Command.Inbound(m));
    }

    long rejected() {
        return rejected.sum();
    }
}
