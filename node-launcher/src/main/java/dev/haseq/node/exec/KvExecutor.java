package dev.haseq.node.exec;

import dev.haseq.api.BlockHeader;
import dev.haseq.api.Hash;
import dev.haseq.api.Tx;
import dev.haseq.api.codec.ByteReader;
import dev.haseq.api.codec.ByteWriter;
import dev.haseq.api.codec.CodecException;
import dev.haseq.api.codec.Envelope;
import dev.haseq.api.exec.Executor;
import dev.haseq.api.exec.InvalidTxException;
import dev.haseq.node.chain.NodeTypeIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The default executor: a key-value map driven by {@link KvTx} ({@code set <key> <value>}).
 *
 * <p><b>State root</b>: {@link Hash#ZERO} for the empty map, otherwise SHA-256 over the entries in
 * key order (UTF-16 code-unit order of the keys, which for the allowed ASCII keys is byte order),
 * each as u32 key length, key bytes, u32 value length, value bytes (UTF-8). Recomputed after a
 * block that changed something: O(state) per such block, which suits the default executor; a
 * production executor would keep an incremental commitment.
 *
 * <p><b>Durability</b>: the map lives in memory. That is correct because consensus rebuilds the
 * state machine on every start from the latest snapshot plus the committed log after it, and the
 * snapshot carries this map exactly ({@link #snapshot}). {@code dataDir} is not used.
 *
 * <p><b>Threads</b>: {@code execute}, {@code snapshot} and {@code restore} come from the applier
 * thread; {@link #validate} is stateless and {@link #get}/{@link #stateRoot}/{@link #size} may be
 * called from any thread (all synchronized).
 */
public final class KvExecutor implements Executor {
    /** Largest snapshot payload accepted on restore. */
    static final int MAX_SNAPSHOT_PAYLOAD = 1 << 30;

    private final TreeMap<String, String> state = new TreeMap<>();
    private Hash root = Hash.ZERO;

    @Override
    public synchronized Hash stateRoot() {
        return root;
    }

    @Override
    public void validate(Tx tx) throws InvalidTxException {
        KvTx.parse(tx);
    }

    /** Invalid transactions are skipped: every node parses the same bytes the same way. */
    @Override
    public synchronized Hash execute(BlockHeader header, List<Tx> txs) {
        boolean changed = false;
        for (Tx tx : txs) {
            KvTx kv;
            try {
                kv = KvTx.parse(tx);
            } catch (InvalidTxException e) {
                continue;
            }
            String previous = state.put(kv.key(), kv.value());
            changed |= !kv.value().equals(previous);
        }
        if (changed) {
            root = rootOf(state);
        }
        return root;
    }

    public synchronized Optional<String> get(String key) {
        return Optional.ofNullable(state.get(key));
    }

    public synchronized int size() {
        return state.size();
    }

    /** One {@link NodeTypeIds#KV_SNAPSHOT} frame: u32 count, then (key, value) strings in key order. */
    @Override
    public synchronized void snapshot(OutputStream out) throws IOException {
        ByteWriter w = new ByteWriter(64 + state.size() * 32);
        w.i32(state.size());
        for (Map.Entry<String, String> e : state.entrySet()) {
            w.string(e.getKey()).string(e.getValue());
        }
        Envelope.writeTo(out, NodeTypeIds.KV_SNAPSHOT, w.toByteArray());
    }

    /** Replaces the map with a snapshot's; the stream must hold exactly one snapshot frame. */
    @Override
    public synchronized void restore(InputStream in) throws IOException {
        TreeMap<String, String> loaded = new TreeMap<>();
        try {
            Envelope.Frame frame = Envelope.readFrom(in, MAX_SNAPSHOT_PAYLOAD);
            if (frame == null) {
                throw new IOException("kv snapshot is missing: the stream ended before its frame");
            }
            if (frame.type() != NodeTypeIds.KV_SNAPSHOT) {
                throw new IOException("expected a kv snapshot frame (type " + NodeTypeIds.KV_SNAPSHOT + "), got type "
                        + frame.type() + ": the snapshot was written by another executor");
            }
            ByteReader r = new ByteReader(frame.payload());
            int n = r.count(8);
            for (int i = 0; i < n; i++) {
                KvTx kv = new KvTx(r.string(), r.string());
                if (loaded.put(kv.key(), kv.value()) != null) {
                    throw new IOException("kv snapshot repeats key '" + kv.key() + "'");
                }
            }
            r.expectEnd();
        } catch (CodecException | IllegalArgumentException e) {
            throw new IOException("kv snapshot is corrupt: " + e.getMessage(), e);
        }
        if (in.read() >= 0) {
            throw new IOException("kv snapshot has trailing bytes after its frame");
        }
        state.clear();
        state.putAll(loaded);
        root = rootOf(state);
    }

    static Hash rootOf(TreeMap<String, String> entries) {
        if (entries.isEmpty()) {
            return Hash.ZERO;
        }
        MessageDigest md = Hash.sha256Digest();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            update(md, e.getKey().getBytes(StandardCharsets.UTF_8));
            update(md, e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return new Hash(md.digest());
    }

    private static void update(MessageDigest md, byte[] b) {
        md.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        md.update(b);
    }

    @Override
    public void close() {
        // Nothing to release: the state is in memory and reproduced from snapshot + log.
    }
}
