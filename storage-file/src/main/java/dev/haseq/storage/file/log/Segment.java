package dev.haseq.storage.file.log;

import dev.haseq.api.storage.StorageException;
import dev.haseq.storage.file.io.StampedHeader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * One segment file of the log, {@code <first index, 20 digits>.seg}: a {@link StampedHeader}
 * ({@value #MAGIC}, the first index) followed by {@link LogRecords}, and the in-memory offset of
 * every record in it. The newest segment may continue with zeros after its last record
 * (preallocated by {@link SegmentPreallocator}); {@link #end()} is where its records end, not the
 * file size. Not thread-safe; {@link FileLogStore} guards it.
 */
final class Segment {
    static final String MAGIC = "HQLS";
    static final String SUFFIX = ".seg";
    private static final int NAME_DIGITS = 20;

    private final Path path;
    private final long firstIndex;
    /** The writer's channel: appends, truncation, force. */
    private final FileChannel channel;
    /**
     * Readers' channel, opened on first read and reopened if closed. Separate from the writer's
     * because NIO closes a channel when a thread blocked in it is interrupted: an interrupted
     * reader must not take the writer down with it.
     */
    private volatile FileChannel readChannel;
    /** offsets[k] is the file position of the record of index firstIndex + k. */
    private int[] offsets;
    private int count;
    /** File position just after the last record. */
    private long end;

    Segment(Path path, long firstIndex, FileChannel channel, int[] offsets, int count, long end) {
        this.path = path;
        this.firstIndex = firstIndex;
        this.channel = channel;
        this.offsets = offsets.length == 0 ? new int[16] : offsets;
        this.count = count;
        this.end = end;
    }

    static String fileName(long firstIndex) {
        return String.format(Locale.ROOT, "%0" + NAME_DIGITS + "d" + SUFFIX, firstIndex);
    }

    /** The first index a segment file name stands for, or -1 if it is not a segment name. */
    static long parseName(String name) {
        if (!name.endsWith(SUFFIX) || name.length() != NAME_DIGITS + SUFFIX.length()) {
            return -1;
        }
        for (int i = 0; i < NAME_DIGITS; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(name, 0, NAME_DIGITS, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    Path path() {
        return path;
    }

    FileChannel channel() {
        return channel;
    }

    /** The channel readers use; reopened when an interrupted reader closed it. */
    FileChannel readChannel() throws IOException {
        FileChannel ch = readChannel;
        if (ch == null || !ch.isOpen()) {
            synchronized (this) {
                ch = readChannel;
                if (ch == null || !ch.isOpen()) {
                    ch = FileChannel.open(path, StandardOpenOption.READ);
                    readChannel = ch;
                }
            }
        }
        return ch;
    }

    long firstIndex() {
        return firstIndex;
    }

    /** The last index in this segment, {@code firstIndex - 1} when it has no records. */
    long lastIndex() {
        return firstIndex + count - 1;
    }

    int count() {
        return count;
    }

    long end() {
        return end;
    }

    boolean contains(long index) {
        return index >= firstIndex && index < firstIndex + count;
    }

    long position(long index) {
        return offsets[(int) (index - firstIndex)];
    }

    /** Frame length of the record of {@code index}. */
    int length(long index) {
        int k = (int) (index - firstIndex);
        return (int) ((k + 1 < count ? offsets[k + 1] : end) - offsets[k]);
    }

    /** Publishes {@code n} records written at {@code positions[0..n)}, ending at {@code newEnd}. */
    void published(int[] positions, int n, long newEnd) {
        if (count + n > offsets.length) {
            offsets = Arrays.copyOf(offsets, Math.max(count + n, offsets.length * 2));
        }
        System.arraycopy(positions, 0, offsets, count, n);
        count += n;
        end = newEnd;
    }

    /**
     * Cuts the segment after {@code index} (which may be {@code firstIndex - 1}: no records left).
     * The file ends at the new end afterwards: no byte of a removed record, nor any preallocated
     * zero, is left after it.
     */
    void truncateAfter(long index) throws IOException {
        int keep = (int) (index - firstIndex + 1);
        long newEnd = keep < count ? offsets[keep] : end;
        count = keep;
        end = newEnd;
        channel.truncate(newEnd);
    }

    /**
     * Cuts preallocated zeros after the last record (a segment is sealed this way before the next
     * one is created, so only the newest segment may be longer than its records).
     *
     * @return whether the file was longer than its records (its size changed, so a sync of it
     *         must include metadata)
     */
    boolean trimToEnd() throws IOException {
        if (channel.size() <= end) {
            return false;
        }
        channel.truncate(end);
        return true;
    }

    void close() {
        try {
            FileChannel r = readChannel;
            if (r != null) {
                r.close();
            }
            channel.close();
        } catch (IOException e) {
            throw new StorageException("cannot close " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return path.getFileName() + "[" + firstIndex + ".." + lastIndex() + ", " + end + " bytes]";
    }
}
