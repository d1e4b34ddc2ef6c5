package dev.haseq.storage.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueueRecordTest {

    private static byte[] encode(QueueRecord r) {
        byte[] out = new byte[QueueRecord.encodedSize(r)];
        assertThat(QueueRecord.encode(r, out)).isEqualTo(out.length);
        return out;
    }

    @Test
    void everyKindRoundTrips() {
        QueueRecord.Entry e = new QueueRecord.Entry(42, 7, new byte[] {1, 2, 3});
        QueueRecord.Entry back = (QueueRecord.Entry) QueueRecord.decode(encode(e), QueueRecord.encodedSize(e));
        assertThat(back.index()).isEqualTo(42);
        assertThat(back.term()).isEqualTo(7);
        assertThat(back.data()).containsExactly(1, 2, 3);
        assertThat(QueueRecord.decode(encode(new QueueRecord.Truncate(9)), 14)).isEqualTo(new QueueRecord.Truncate(9));
        assertThat(QueueRecord.decode(encode(new QueueRecord.Cut(0x1234)), 14)).isEqualTo(new QueueRecord.Cut(0x1234));
        QueueRecord.Block b = (QueueRecord.Block) QueueRecord.decode(encode(new QueueRecord.Block(5, new byte[] {9})),
                QueueRecord.encodedSize(new QueueRecord.Block(5, new byte[] {9})));
        assertThat(b.height()).isEqualTo(5);
        assertThat(b.frame()).containsExactly(9);
    }

    @Test
    void everySingleFlippedByteIsDetected() {
        byte[] good = encode(new QueueRecord.Entry(3, 1, "hello".getBytes()));
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            assertThatThrownBy(() -> QueueRecord.decode(bad, bad.length))
                    .as("flipped byte %d", i).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aShortOrForeignExcerptIsRejectedWithTheReason() {
        assertThatThrownBy(() -> QueueRecord.decode(new byte[3], 3)).hasMessageContaining("too short");
        assertThatThrownBy(() -> QueueRecord.decode(new byte[] {1, 1, 0, 0, 0, 0}, 6)).hasMessageContaining("format byte");
        byte[] good = encode(new QueueRecord.Truncate(1));
        assertThatThrownBy(() -> QueueRecord.decode(good, good.length - 1)).hasMessageContaining("checksum");
    }
}
