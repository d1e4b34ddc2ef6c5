package dev.haseq.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesTheGuidesForms() {
        assertThat(Durations.parse("92ms")).isEqualTo(Duration.ofMillis(92));
        assertThat(Durations.parse("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(Durations.parse("250µs")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(Durations.parse(" 7ns ")).isEqualTo(Duration.ofNanos(7));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void refusesAmbiguousOrMalformedText() {
        for (String bad : new String[] {"350", "ms", "1x", "1m30", "-5s", "1 s", "", "1s2"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Durations.parse("350")).hasMessageContaining("e.g. 350ms");
    }

    @Test
    void formatsInTheGuidesStyleAndRoundTrips() {
        assertThat(Durations.format(Duration.ofMillis(92))).isEqualTo("92ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.format(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(Durations.format(Duration.ofHours(1).plusSeconds(1))).isEqualTo("1h1s");
        assertThat(Durations.format(Duration.ofNanos(1500))).isEqualTo("1500ns");
        assertThat(Durations.format(Duration.ofNanos(3000))).isEqualTo("3us");
        for (String s : new String[] {"92ms", "1m30s", "2h", "350ms", "17us"}) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
    }
}
