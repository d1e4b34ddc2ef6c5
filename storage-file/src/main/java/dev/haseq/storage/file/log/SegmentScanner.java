package dev.haseq.storage.file.log;

import dev.haseq.storage.file.io.DurableFiles;
import dev.haseq.storage.file.io.StampedHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Reads a segment's records from start to end on open, verifying each (frame, checksum, index,
 * non-decreasing term), and finds where the valid records stop. Reads through a window of
 * {@value #WINDOW} bytes, so a segment costs a few large reads. Not thread-safe.
 *
 * <p><b>Zeros after the last record.</b> The segment being written is longer than its records when
 * its tail was preallocated ({@link SegmentPreallocator}): the bytes after the last record are
 * zeros. No record starts with a zero byte (its first byte is the envelope magic), so a position
 * from which the file holds nothing but zeros is the segment's clean end, not damage. A bad record
 * with non-zero bytes after it is judged as before (torn tail or corruption), and the search for
 * valid records after it stops where the zeros start. Older segments are trimmed to their last
 * record before the next one is created; should a trim be lost, their zeros end them too, and
 * recovery's check that segments follow each other catches any record that zeros replaced.
 */
final class SegmentScanner {
    private static final int WINDOW = 1 << 20;
    /** Bytes read per step when looking for where trailing zeros start. */
    private static final int ZERO_PROBE = 64 << 10;

    /** Where the valid records of a segment stop, and why. */
    record Corruption(long offset, String reason, boolean validRecordsFollow) {
    }

    /**
     * The records found: their offsets, where they end, the first bad spot if any, and where the
     * file's non-zero bytes end ({@code dataEnd}; the file size unless zeros end the last segment).
     */
    record Scan(int[] offsets, int count, long end, Optional<Corruption> corruption, long dataEnd) {
    }

    private final FileChannel channel;
    private final long size;
    private final CRC32C crc = new CRC32C();
    private byte[] buf = new byte[WINDOW];
    private long windowStart;
    private int windowLength;

    private SegmentScanner(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
    }

    /**
     * Scans the records after the header of a segment whose first index is {@code firstIndex},
     * adding their terms to {@code terms} (whose last term, if any, is that of {@code firstIndex - 1}).
     */
    static Scan scan(FileChannel channel, long firstIndex, TermRuns terms) throws IOException {
        return new SegmentScanner(channel).scan(firstIndex, terms);
    }

    private Scan scan(long firstIndex, TermRuns terms) throws IOException {
        int[] offsets = new int[1024];
        int count = 0;
        long pos = StampedHeader.BYTES;
        long dataEnd = zerosStart();
        while (pos < dataEnd) {
            long expected = firstIndex + count;
            String problem = null;
            int len = -1;
            if (size - pos < 8) {
                problem = "only " + (size - pos) + " bytes left, less than a record header";
            } else {
                int off = window(pos, 8);
                len = LogRecords.announcedLength(buf, off);
                if (len < 0) {
                    problem = String.format("not a log record header (bytes %02x %02x %02x %02x)",
                            buf[off], buf[off + 1], buf[off + 2], buf[off + 3]);
                } else if (pos + len > size) {
                    problem = "record of " + len + " bytes runs past the end of the file (" + size + " bytes)";
                } else {
                    off = window(pos, len);
                    problem = LogRecords.check(buf, off, len, expected, crc);
                    if (problem == null && LogRecords.term(buf, off) < terms.lastTerm()) {
                        problem = "term " + LogRecords.term(buf, off) + " of index " + expected
                                + " is lower than the term before it (" + terms.lastTerm() + ")";
                    }
                    if (problem == null) {
                        terms.add(expected, LogRecords.term(buf, off));
                    }
                }
            }
            if (problem != null) {
                return new Scan(offsets, count, pos,
                        Optional.of(new Corruption(pos, problem, validRecordFollows(pos, expected, dataEnd))), dataEnd);
            }
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
            }
            offsets[count++] = (int) pos;
            pos += len;
        }
        return new Scan(offsets, count, pos, Optional.empty(), dataEnd);
    }

    /**
     * The offset (at least the header's end) from which the file holds only zero bytes: the
     * file size when its last byte is not zero. Reads backwards from the end, so a long
     * preallocated tail costs reads of its length, and a segment without one costs a single read.
     */
    private long zerosStart() throws IOException {
        long p = size;
        byte[] zeros = new byte[ZERO_PROBE];
        while (p > StampedHeader.BYTES) {
            int n = (int) Math.min(ZERO_PROBE, p - StampedHeader.BYTES);
            long from = p - n;
            ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
            if (!DurableFiles.readFully(channel, b, from)) {
                throw new IOException("file shrank while being read at offset " + from);
            }
            windowLength = 0; // buf now holds these bytes, not the window
            if (Arrays.mismatch(buf, 0, n, zeros, 0, n) != -1) {
                int i = n - 1;
                while (buf[i] == 0) {
                    i--;
                }
                return from + i + 1;
            }
            p = from;
        }
        return StampedHeader.BYTES;
    }

    /**
     * Whether a complete, checksum-valid record of an index at or above {@code expectedIndex}
     * starts anywhere after {@code badOffset}: then the bad spot is not a torn last write but
     * damage in the middle of data that was written after it.
     */
    private boolean validRecordFollows(long badOffset, long expectedIndex, long dataEnd) throws IOException {
        // A record starts with a non-zero byte, so none starts at or after dataEnd.
        for (long p = badOffset + 1; p < dataEnd && p + LogRecords.OVERHEAD <= size; p++) {
            int off = window(p, 8);
            int len = LogRecords.announcedLength(buf, off);
            if (len < 0 || p + len > size) {
                continue;
            }
            off = window(p, len);
            long index = ByteBuffer.wrap(buf).getLong(off + 8);
            if (index >= expectedIndex && LogRecords.check(buf, off, len, index, crc) == null) {
                return true;
            }
        }
        return false;
    }

    /** Makes {@code [pos, pos+len)} of the file available in {@code buf}; returns its offset there. */
    private int window(long pos, int len) throws IOException {
        if (pos >= windowStart && pos + len <= windowStart + windowLength) {
            return (int) (pos - windowStart);
        }
        if (len > buf.length) {
            buf = new byte[len];
        }
        int want = (int) Math.min(buf.length, size - pos);
        ByteBuffer b = ByteBuffer.wrap(buf, 0, want);
        if (!DurableFiles.readFully(channel, b, pos)) {
            throw new IOException("file shrank while being read at offset " + pos);
        }
        windowStart = pos;
        windowLength = want;
        return 0;
    }
}
