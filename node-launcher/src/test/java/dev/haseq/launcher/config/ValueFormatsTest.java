package dev.haseq.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValueFormatsTest {
    @Test
    void byteSizesAcceptBinaryAndDecimalUnits() {
        assertThat(ByteSizes.parse("1048576")).isEqualTo(1L << 20);
        assertThat(ByteSizes.parse("1MiB")).isEqualTo(1L << 20);
        assertThat(ByteSizes.parse("512 kib")).isEqualTo(512L << 10);
        assertThat(ByteSizes.parse("2MB")).isEqualTo(2_000_000L);
        assertThat(ByteSizes.parse("1_000B")).isEqualTo(1000L);
        assertThat(ByteSizes.parse("3GiB")).isEqualTo(3L << 30);
        assertThatThrownBy(() -> ByteSizes.parse("1.5MiB")).hasMessageContaining("not a byte size");
        assertThatThrownBy(() -> ByteSizes.parse("-1")).hasMessageContaining("not a byte size");
        assertThatThrownBy(() -> ByteSizes.parse("99999999999GiB")).hasMessageContaining("too large");
    }

    @Test
    void byteSizesFormatToTheLargestExactUnit() {
        assertThat(ByteSizes.format(1L << 20)).isEqualTo("1MiB");
        assertThat(ByteSizes.format(128L << 10)).isEqualTo("128KiB");
        assertThat(ByteSizes.format(1000)).isEqualTo("1000B");
        assertThat(ByteSizes.format(0)).isEqualTo("0B");
    }

    @Test
    void multiaddrsOfTheGuidesFormParse() {
        Multiaddr m = Multiaddr.parse("/ip4/0.0.0.0/tcp/26656");
        assertThat(m.host()).isEqualTo("0.0.0.0");
        assertThat(m.port()).isEqualTo(26656);
        assertThat(m.peerId()).isEmpty();
        assertThat(Multiaddr.parse("/ip6/::1/tcp/1/p2p/QmPeer").peerId()).isEqualTo("QmPeer");
        assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/udp/1")).hasMessageContaining("/tcp/<port>");
        assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/tcp/70000")).hasMessageContaining("not 1-65535");
        assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/")).hasMessageContaining("/p2p/<peer id>");
    }

    @Test
    void tuningFormulasOfTheGuide() {
        RaftTimings t = RaftTimings.forRtt(Duration.ofMillis(23));
        assertThat(t.heartbeatTimeout()).isEqualTo(Duration.ofMillis(92));
        assertThat(t.electionTimeout()).isEqualTo(Duration.ofMillis(368));
        assertThat(t.leaderLeaseTimeout()).isEqualTo(Duration.ofMillis(46));
        assertThat(t.sendTimeout()).isEqualTo(Duration.ofMillis(69));
        RaftTimings ten = RaftTimings.forRtt(Duration.ofMillis(10));
        assertThat(ten.heartbeatTimeout()).isEqualTo(Duration.ofMillis(40));
        assertThat(ten.electionTimeout()).isEqualTo(Duration.ofMillis(160));
        assertThat(ten.leaderLeaseTimeout()).isEqualTo(Duration.ofMillis(20));
        assertThat(ten.sendTimeout()).isEqualTo(Duration.ofMillis(30));
        assertThatThrownBy(() -> RaftTimings.forRtt(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
