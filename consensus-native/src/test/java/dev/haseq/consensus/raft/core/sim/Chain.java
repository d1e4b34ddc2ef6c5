package dev.haseq.consensus.raft.core.sim;

/** A 64-bit hash over a whole log prefix: equal chain at an index means equal logs up to it. */
final class Chain {
    private Chain() {
    }

    static long next(long prev, long term, byte[] data) {
        long h = mix(prev ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ term);
        h = mix(h ^ data.length);
        for (byte b : data) {
            h = h * 0x100000001B3L ^ (b & 0xFF);
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
