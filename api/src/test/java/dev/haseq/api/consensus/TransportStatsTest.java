package dev.haseq.api.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.api.NodeId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportStatsTest {
    private static TransportStats.PeerTraffic traffic(Map<String, Long> closes) {
        return new TransportStats.PeerTraffic(NodeId.of("n2"), 1, 2, 3, 4, 5, 6, closes, Map.of());
    }

    @Test
    void reasonsMustBeLowerSnakeCaseTokensBecauseTheyBecomeLabelValues() {
        assertThatThrownBy(() -> traffic(Map.of("Bad Reason", 1L))).hasMessageContaining("'Bad Reason'")
                .hasMessageContaining("lower_snake_case");
        assertThatThrownBy(() -> new TransportStats(List.of(), Map.of("", 0L))).hasMessageContaining("unidentified");
        assertThat(traffic(Map.of("bad_checksum", 0L)).closes()).containsEntry("bad_checksum", 0L);
    }

    @Test
    void countsMustNotBeNegative() {
        assertThatThrownBy(() -> traffic(Map.of("garbage", -1L))).hasMessageContaining("garbage has count -1");
        assertThatThrownBy(() -> new TransportStats.PeerTraffic(NodeId.of("n2"), 0, -5, 0, 0, 0, 0, Map.of(), Map.of()))
                .hasMessageContaining("n2").hasMessageContaining("negative");
    }

    @Test
    void theStatsAreACopyTheProviderCannotChangeAfterwards() {
        Map<String, Long> closes = new HashMap<>(Map.of("garbage", 1L));
        TransportStats.PeerTraffic t = traffic(closes);
        closes.put("garbage", 9L);
        assertThat(t.closes()).containsEntry("garbage", 1L);
    }
}
