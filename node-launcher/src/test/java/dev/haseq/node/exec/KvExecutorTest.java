package dev.haseq.node.exec;

import static dev.haseq.node.testing.Blocks.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.BlockHeader;
import dev.haseq.api.Hash;
import dev.haseq.api.NodeId;
import dev.haseq.api.Tx;
import dev.haseq.api.config.Providers;
import dev.haseq.api.exec.Executor;
import dev.haseq.api.exec.ExecutorProvider;
import dev.haseq.api.exec.InvalidTxException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KvExecutorTest {
    private static final BlockHeader HEADER =
            new BlockHeader(1, 1, Hash.ZERO, Hash.ZERO, Hash.ZERO, NodeId.of("node-1"));

    private static Tx text(String s) {
        return new Tx(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesTheDocumentedFormat() throws Exception {
        assertThat(KvTx.parse(text("set a 1"))).isEqualTo(new KvTx("a", "1"));
        assertThat(KvTx.parse(text("set user/42:name Ada Lovelace"))).isEqualTo(new KvTx("user/42:name", "Ada Lovelace"));
        assertThat(KvTx.parse(text("set empty "))).isEqualTo(new KvTx("empty", ""));
        assertThat(KvTx.parse(text("set k ünïcødé"))).isEqualTo(new KvTx("k", "ünïcødé"));
        assertThat(KvTx.parse(new KvTx("x.y-z_1", "v w").toTx())).isEqualTo(new KvTx("x.y-z_1", "v w"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "set", "set ", "set a", "SET a 1", "put a 1", "set  a 1", "set a 1\n", "set a\t1",
            "set k\u00e9y 1", " set a 1"})
    void refusesMalformedTransactionsWithAReason(String tx) {
        assertThatThrownBy(() -> new KvExecutor().validate(text(tx))).isInstanceOf(InvalidTxException.class)
                .message().isNotBlank();
    }

    @Test
    void refusesInvalidUtf8AndOverlongKeys() {
        assertThatThrownBy(() -> KvTx.parse(new Tx(new byte[] {'s', 'e', 't', ' ', 'a', ' ', (byte) 0xC3})))
                .isInstanceOf(InvalidTxException.class).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> KvTx.parse(text("set " + "k".repeat(257) + " v")))
                .isInstanceOf(InvalidTxException.class).hasMessageContaining("256");
    }

    @Test
    void theEmptyStateHasTheZeroRootAndRootsDependOnlyOnContent() {
        KvExecutor a = new KvExecutor();
        assertThat(a.stateRoot()).isEqualTo(Hash.ZERO);
        Hash ra = a.execute(HEADER, List.of(set("x", "1"), set("y", "2")));
        KvExecutor b = new KvExecutor();
        b.execute(HEADER, List.of(set("y", "0")));
        b.execute(HEADER, List.of(set("x", "1")));
        Hash rb = b.execute(HEADER, List.of(set("y", "2")));
        assertThat(ra).isEqualTo(rb).isNotEqualTo(Hash.ZERO);
        Hash rc = new KvExecutor().execute(HEADER, List.of(set("x", "1"), set("y", "3")));
        assertThat(rc).isNotEqualTo(ra);
        // a key/value boundary shift must change the root ("ab"="c" vs "a"="bc" style)
        Hash r1 = new KvExecutor().execute(HEADER, List.of(set("ab", "c")));
        Hash r2 = new KvExecutor().execute(HEADER, List.of(set("a", "bc")));
        assertThat(r1).isNotEqualTo(r2);
    }

    @Test
    void invalidTransactionsInACommittedBlockAreSkippedDeterministically() {
        KvExecutor a = new KvExecutor();
        Hash r = a.execute(HEADER, List.of(text("garbage"), set("k", "v"), new Tx(new byte[] {(byte) 0xFF})));
        assertThat(a.size()).isEqualTo(1);
        assertThat(r).isEqualTo(new KvExecutor().execute(HEADER, List.of(set("k", "v"))));
    }

    @Test
    void snapshotRestoreIsExactAndRefusesCorruptOrForeignData() throws Exception {
        KvExecutor a = new KvExecutor();
        a.execute(HEADER, List.of(set("b", "2"), set("a", "1 with spaces"), set("c", "")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.snapshot(out);
        KvExecutor b = new KvExecutor();
        b.execute(HEADER, List.of(set("stale", "x")));
        b.restore(new ByteArrayInputStream(out.toByteArray()));
        assertThat(b.stateRoot()).isEqualTo(a.stateRoot());
        assertThat(b.get("a")).contains("1 with spaces");
        assertThat(b.get("stale")).isEmpty();
        assertThat(b.size()).isEqualTo(3);

        byte[] corrupt = out.toByteArray();
        corrupt[12] ^= 1;
        KvExecutor c = new KvExecutor();
        c.execute(HEADER, List.of(set("keep", "me")));
        Hash before = c.stateRoot();
        assertThatThrownBy(() -> c.restore(new ByteArrayInputStream(corrupt))).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt");
        assertThat(c.stateRoot()).isEqualTo(before);
        byte[] trailing = new byte[out.size() + 1];
        System.arraycopy(out.toByteArray(), 0, trailing, 0, out.size());
        assertThatThrownBy(() -> c.restore(new ByteArrayInputStream(trailing))).isInstanceOf(IOException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void theKvProviderIsFoundByServiceLoader() {
        ExecutorProvider p = Providers.select(ExecutorProvider.class, ExecutorProvider::name, "executor.provider", "kv");
        assertThat(p).isInstanceOf(KvExecutorProvider.class);
        try (Executor e = p.open(Path.of("unused"), Map.of())) {
            assertThat(e.stateRoot()).isEqualTo(Hash.ZERO);
        }
        assertThatThrownBy(() -> p.open(Path.of("unused"), Map.of("x", "y"))).hasMessageContaining("no executor.options");
    }
}
