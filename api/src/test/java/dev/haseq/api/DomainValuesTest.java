package dev.haseq.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DomainValuesTest {

    @Test
    void peerAddressParsesTheGuidesFormat() {
        PeerAddress p = PeerAddress.parse(" node-2@10.0.0.2:5001 ");
        assertThat(p.id()).isEqualTo(NodeId.of("node-2"));
        assertThat(p.address()).isEqualTo(new HostPort("10.0.0.2", 5001));
        assertThat(p).hasToString("node-2@10.0.0.2:5001");
        assertThat(PeerAddress.parse("n@[::1]:7").address().host()).isEqualTo("::1");
        assertThat(PeerAddress.parse("sequencer-us-east-1@seq1.internal:5001").address().host()).isEqualTo("seq1.internal");
    }

    @Test
    void peerAddressRejectsMalformedInput() {
        for (String bad : List.of("", "node-2", "@10.0.0.2:5001", "node-2@", "node-2@10.0.0.2", "node-2@10.0.0.2:0",
                "node-2@10.0.0.2:70000", "node-2@10.0.0.2:abc", "no de@1.2.3.4:5", "a@b@c:1", "node-2@1.2.3.4:5:6")) {
            assertThatThrownBy(() -> PeerAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void hashIsImmutableAndHasAHexForm() {
        byte[] raw = new byte[32];
        raw[0] = 1;
        Hash h = new Hash(raw);
        raw[0] = 2;
        assertThat(h.bytes()[0]).isEqualTo((byte) 1);
        h.bytes()[0] = 9;
        assertThat(h.bytes()[0]).isEqualTo((byte) 1);
        assertThat(Hash.ofHex(h.hex())).isEqualTo(h);
        assertThat(Hash.ofHex("0x" + h.hex())).isEqualTo(h);
        assertThatThrownBy(() -> new Hash(new byte[31])).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Hash.ofHex("zz".repeat(32))).hasMessageContaining("not a hex hash");
    }

    @Test
    void sha256MatchesTheKnownVector() {
        assertThat(Hash.sha256("abc".getBytes()).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void headerHashCoversEveryField() {
        BlockHeader h = new BlockHeader(5, 100, Hash.ZERO, Hash.ZERO, Hash.ZERO, NodeId.of("n1"));
        Hash base = h.hash();
        assertThat(new BlockHeader(6, 100, Hash.ZERO, Hash.ZERO, Hash.ZERO, NodeId.of("n1")).hash()).isNotEqualTo(base);
        assertThat(new BlockHeader(5, 101, Hash.ZERO, Hash.ZERO, Hash.ZERO, NodeId.of("n1")).hash()).isNotEqualTo(base);
        Hash one = Hash.sha256(new byte[] {1});
        assertThat(new BlockHeader(5, 100, one, Hash.ZERO, Hash.ZERO, NodeId.of("n1")).hash()).isNotEqualTo(base);
        assertThat(new BlockHeader(5, 100, Hash.ZERO, one, Hash.ZERO, NodeId.of("n1")).hash()).isNotEqualTo(base);
        assertThat(new BlockHeader(5, 100, Hash.ZERO, Hash.ZERO, one, NodeId.of("n1")).hash()).isNotEqualTo(base);
        assertThat(new BlockHeader(5, 100, Hash.ZERO, Hash.ZERO, Hash.ZERO, NodeId.of("n2")).hash()).isNotEqualTo(base);
        assertThat(h.hash()).isEqualTo(base);
    }

    @Test
    void dataHashCommitsToTransactionsAndTheirOrder() {
        Tx a = new Tx(new byte[] {1});
        Tx b = new Tx(new byte[] {2});
        assertThat(Block.dataHashOf(List.of(a, b))).isNotEqualTo(Block.dataHashOf(List.of(b, a)));
        assertThat(Block.dataHashOf(List.of())).isNotEqualTo(Hash.ZERO);
        Block block = new Block(new BlockHeader(1, 1, Hash.ZERO, Block.dataHashOf(List.of(a)), Hash.ZERO,
                NodeId.of("n")), List.of(a));
        assertThat(block.dataHashMatches()).isTrue();
        Block forged = new Block(block.header(), List.of(b));
        assertThat(forged.dataHashMatches()).isFalse();
    }

    @Test
    void nodeIdsAreSafeNames() {
        assertThat(NodeId.of("sequencer-eu-east-2").value()).isEqualTo("sequencer-eu-east-2");
        for (String bad : new String[] {"", "a b", "x/y", "n".repeat(65), "é"}) {
            assertThatThrownBy(() -> NodeId.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
