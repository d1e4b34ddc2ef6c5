package dev.haseq.consensus.raft.node;

import dev.haseq.api.NodeId;
import dev.haseq.api.PeerAddress;
import dev.haseq.api.config.RaftSettings;
import dev.haseq.api.storage.AtomicFiles;
import dev.haseq.api.storage.RaftLayout;
import dev.haseq.api.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The {@code cluster-identity} file in {@code raft_dir}: the node id and the member ids this
 * directory was bootstrapped with. It makes the directory's identity explicit: starting it with
 * another {@code node_id}, or with a different member set (membership is static), is refused
 * before anything is opened, with a message naming both values and the directory.
 *
 * <p>A small text file ({@code key=value} lines) so an operator can read it; written atomically
 * ({@link AtomicFiles#replace}: temp file, fsync, rename, directory fsync).
 */
record ClusterIdentity(NodeId nodeId, List<NodeId> members) {
    private static final String HEADER = "# haseq Raft cluster identity: written when this directory was bootstrapped. "
            + "Do not edit; a node with another node_id must use another raft_dir.";

    ClusterIdentity {
        members = List.copyOf(new TreeSet<>(members));
        if (!members.contains(nodeId)) {
            throw new IllegalArgumentException("members " + members + " do not include the node " + nodeId);
        }
    }

    static ClusterIdentity of(RaftSettings settings) {
        List<NodeId> members = new ArrayList<>();
        members.add(settings.nodeId());
        settings.peers().stream().map(PeerAddress::id).forEach(members::add);
        return new ClusterIdentity(settings.nodeId(), members);
    }

    /** What {@link #establish} found. */
    enum StartMode {
        /** The directory was empty: a new cluster member, identity written. */
        BOOTSTRAP,
        /** The directory holds this node's state: rejoin. */
        REJOIN
    }

    /**
     * Checks {@code raftDir} against the configuration and writes the identity file when it is
     * missing. Refuses (with {@link IllegalStateException}) a directory that belongs to another
     * node id or another member set.
     */
    static StartMode establish(Path raftDir, RaftSettings settings) {
        ClusterIdentity wanted = of(settings);
        Path file = raftDir.resolve(RaftLayout.IDENTITY_FILE);
        Optional<ClusterIdentity> stored = read(file);
        if (stored.isPresent()) {
            ClusterIdentity s = stored.get();
            if (!s.nodeId().equals(wanted.nodeId())) {
                throw new IllegalStateException("raft_dir " + raftDir + " belongs to node '" + s.nodeId()
                        + "' but raft.node_id is '" + wanted.nodeId() + "': a node id must never change after "
                        + "bootstrap. Start this node with node_id '" + s.nodeId() + "', or give node '"
                        + wanted.nodeId() + "' its own (empty) raft_dir");
            }
            if (!s.members().equals(wanted.members())) {
                throw new IllegalStateException("raft_dir " + raftDir + " was bootstrapped with members "
                        + s.members() + " but node_id + raft.peers now name " + wanted.members()
                        + ": membership is static; restore raft.peers to the original members");
            }
            return StartMode.REJOIN;
        }
        boolean empty = isEmpty(raftDir);
        write(raftDir, wanted);
        return empty ? StartMode.BOOTSTRAP : StartMode.REJOIN;
    }

    private static boolean isEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new StorageException("cannot list raft_dir " + dir + ": " + e, e);
        }
    }

    static Optional<ClusterIdentity> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e, e);
        }
        String node = null;
        String members = null;
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw new StorageException(file + " is corrupt: line '" + l + "' is not key=value");
            }
            switch (l.substring(0, eq)) {
                case "node_id" -> node = l.substring(eq + 1);
                case "members" -> members = l.substring(eq + 1);
                default -> {
                    // unknown keys are for newer releases
                }
            }
        }
        if (node == null || members == null) {
            throw new StorageException(file + " is corrupt: it lacks " + (node == null ? "node_id" : "members"));
        }
        try {
            List<NodeId> ids = Stream.of(members.split(",")).map(String::strip).map(NodeId::of).toList();
            return Optional.of(new ClusterIdentity(NodeId.of(node), ids));
        } catch (IllegalArgumentException e) {
            throw new StorageException(file + " is corrupt: " + e.getMessage(), e);
        }
    }

    static void write(Path raftDir, ClusterIdentity id) {
        String text = HEADER + "\nnode_id=" + id.nodeId() + "\nmembers="
                + String.join(",", id.members().stream().map(NodeId::value).toList()) + "\n";
        try {
            Files.createDirectories(raftDir);
        } catch (IOException e) {
            throw new StorageException("cannot create " + raftDir + ": " + e, e);
        }
        AtomicFiles.replace(raftDir.resolve(RaftLayout.IDENTITY_FILE), text.getBytes(StandardCharsets.UTF_8));
    }
}
