package dev.haseq.storage.file.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TermRunsTest {

    private static TermRuns runs(long... termsFromIndexOne) {
        TermRuns r = new TermRuns();
        for (int i = 0; i < termsFromIndexOne.length; i++) {
            r.add(i + 1, termsFromIndexOne[i]);
        }
        return r;
    }

    @Test
    void equalTermsShareOneRun() {
        TermRuns r = runs(1, 1, 1, 2, 2, 5);
        assertThat(r.runs()).isEqualTo(3);
        assertThat(r.termOf(1)).isEqualTo(1);
        assertThat(r.termOf(3)).isEqualTo(1);
        assertThat(r.termOf(4)).isEqualTo(2);
        assertThat(r.termOf(6)).isEqualTo(5);
        assertThat(r.lastTerm()).isEqualTo(5);
    }

    @Test
    void truncateAfterForgetsLaterRunsAndNewTermsStartANewRun() {
        TermRuns r = runs(1, 1, 2, 2, 3);
        r.truncateAfter(3);
        assertThat(r.lastTerm()).isEqualTo(2);
        r.add(4, 4);
        assertThat(r.termOf(3)).isEqualTo(2);
        assertThat(r.termOf(4)).isEqualTo(4);
        r.truncateAfter(0);
        assertThat(r.runs()).isZero();
        assertThat(r.lastTerm()).isEqualTo(-1);
    }

    @Test
    void dropBeforeKeepsTheRunCoveringTheNewFirstIndex() {
        TermRuns r = runs(1, 1, 2, 2, 3, 3);
        r.dropBefore(4);
        assertThat(r.runs()).isEqualTo(2);
        assertThat(r.termOf(4)).isEqualTo(2);
        assertThat(r.termOf(6)).isEqualTo(3);
        assertThatThrownBy(() -> r.termOf(2)).isInstanceOf(IllegalStateException.class);
    }
}
