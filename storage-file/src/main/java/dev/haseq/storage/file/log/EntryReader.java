package dev.haseq.storage.file.log;

import dev.haseq.api.storage.LogEntry;
import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.file.io.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a range of entries with positional reads: it picks the entries to return from the
 * in-memory offsets alone (record length = data length + {@link LogRecords#OVERHEAD}, so the
 * {@code maxBytes} limit needs no I/O), then reads each run of adjacent records in one call and
 * verifies every record's checksum and index. The caller holds the store's read lock.
 */
final class EntryReader {
    /** Adjacent records are read together up to this many bytes per call. */
    private static final int MAX_READ = 8 << 20;
    private static final int MAX_ATTEMPTS = 5;

    private EntryReader() {
    }

    /**
     * Entries {@code [from, toInclusive]} (which the caller checked are in the log), stopping before
     * their data would exceed {@code maxBytes}, but returning at least one.
     */
    static List<LogEntry> read(List<Segment> segments, long from, long toInclusive, long maxBytes) {
        List<LogEntry> out = new ArrayList<>((int) Math.min(toInclusive - from + 1, 1024));
        CRC32C crc = new CRC32C();
        long dataTotal = 0;
        long index = from;
        int si = segmentOf(segments, from);
        while (index <= toInclusive) {
            Segment seg = segments.get(si);
            long groupStart = index;
            long groupBytes = 0;
            boolean full = false;
            while (index <= toInclusive && index <= seg.lastIndex()) {
                int len = seg.length(index);
                long data = LogRecords.dataLength(len);
                if ((!out.isEmpty() || index > from) && dataTotal + data > maxBytes) {
                    full = true;
                    break;
                }
                if (index > groupStart && groupBytes + len > MAX_READ) {
                    break;
                }
                dataTotal += data;
                groupBytes += len;
                index++;
            }
            if (index > groupStart) {
                readGroup(seg, groupStart, index - 1, (int) groupBytes, crc, out);
            }
            if (full) {
                break;
            }
            if (index > seg.lastIndex()) {
                si++;
            }
        }
        return out;
    }

    private static void readGroup(Segment seg, long first, long last, int bytes, CRC32C crc, List<LogEntry> out) {
        long start = seg.position(first);
        byte[] buf = new byte[bytes];
        for (int attempt = 1; ; attempt++) {
            try {
                if (!DurableFiles.readFully(seg.readChannel(), ByteBuffer.wrap(buf), start)) {
                    throw new StorageException("log segment " + seg.path() + " ends before offset " + (start + bytes)
                            + " where index " + last + " should end: the file was cut while the log was open");
                }
                break;
            } catch (ClosedByInterruptException e) {
                throw new StorageException("interrupted while reading " + seg.path() + " at offset " + start, e);
            } catch (ClosedChannelException e) {
                // Another reader was interrupted and closed the shared read channel: reopen and retry.
                if (attempt == MAX_ATTEMPTS) {
                    throw new StorageException("cannot read " + seg.path() + " at offset " + start
                            + ": its read channel kept being closed by interrupted readers", e);
                }
            } catch (IOException e) {
                throw new StorageException("cannot read " + seg.path() + " at offset " + start + ": " + e.getMessage(), e);
            }
        }
        int off = 0;
        for (long i = first; i <= last; i++) {
            int len = seg.length(i);
            String problem = LogRecords.check(buf, off, len, i, crc);
            if (problem != null) {
                throw new StorageException("corrupt log record in " + seg.path() + " at offset " + (start + off)
                        + " (index " + i + "): " + problem + ". The disk changed data the log had verified; restore "
                        + "this node's raft-log from a backup, or wipe its Raft state and let it rejoin");
            }
            out.add(LogRecords.decode(buf, off, len));
            off += len;
        }
    }

    /** The position in {@code segments} of the segment holding {@code index}. */
    private static int segmentOf(List<Segment> segments, long index) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).firstIndex() <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
