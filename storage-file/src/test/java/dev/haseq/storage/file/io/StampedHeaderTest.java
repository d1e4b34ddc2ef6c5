package dev.haseq.storage.file.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StampedHeaderTest {

    @Test
    void roundTripsItsValue() {
        byte[] h = StampedHeader.encode("TEST", 123456789L);
        assertThat(h).hasSize(StampedHeader.BYTES);
        assertThat(StampedHeader.decode(h, "TEST")).isEqualTo(new StampedHeader.Valid(123456789L));
    }

    @Test
    void everyFlippedByteAndAForeignMagicAreInvalid() {
        byte[] h = StampedHeader.encode("TEST", 77);
        for (int i = 0; i < h.length; i++) {
            byte[] bad = h.clone();
            bad[i] ^= 1;
            assertThat(StampedHeader.decode(bad, "TEST")).as("flip at %d", i).isInstanceOf(StampedHeader.Invalid.class);
        }
        assertThat(StampedHeader.decode(h, "OTHR")).isInstanceOf(StampedHeader.Invalid.class);
        assertThat(StampedHeader.decode(new byte[5], "TEST")).isInstanceOf(StampedHeader.Invalid.class);
    }
}
