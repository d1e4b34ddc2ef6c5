package dev.haseq.storage.file.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SegmentTest {

    @Test
    void fileNameIsTheFirstIndexInTwentyDigitsAndParsesBack() {
        assertThat(Segment.fileName(1)).isEqualTo("00000000000000000001.seg");
        assertThat(Segment.parseName(Segment.fileName(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Segment.parseName("00000000000000001234.seg")).isEqualTo(1234);
    }

    @Test
    void otherNamesAreNotSegments() {
        assertThat(Segment.parseName("1234.seg")).isEqualTo(-1);
        assertThat(Segment.parseName("0000000000000000123x.seg")).isEqualTo(-1);
        assertThat(Segment.parseName("00000000000000001234.seg.tmp")).isEqualTo(-1);
        assertThat(Segment.parseName("99999999999999999999.seg")).isEqualTo(-1);
        assertThat(Segment.parseName("log-meta")).isEqualTo(-1);
    }
}
