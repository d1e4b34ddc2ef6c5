package dev.haseq.storage.file;

import dev.haseq.api.storage.LogStore;
import dev.haseq.api.storage.LogStoreProvider;
import dev.haseq.api.storage.StorageContext;
import dev.haseq.storage.file.log.FileLogStore;

/**
 * The {@code file} log store: segment files under {@code raft_dir/raft-log} (see {@link FileLogStore}).
 *
 * <p>The segment size is 64 MiB unless the system property {@value #SEGMENT_BYTES_PROPERTY} says
 * otherwise (read at each {@link #open}); the conformance suite's crash test uses it to make a
 * child JVM roll segments often. Existing segments of any size are read regardless.
 *
 * <p>The bytes after the newest segment's last record are kept zero-filled and synced ahead of
 * the writer, 8 MiB unless the system property {@value #PREALLOCATE_BYTES_PROPERTY} says otherwise
 * (read at each {@link #open}; {@code 0} turns it off). See {@link FileLogStore}.
 */
public final class FileLogStoreProvider implements LogStoreProvider {
    public static final String NAME = "file";
    public static final String SEGMENT_BYTES_PROPERTY = "haseq.storage.file.segment-bytes";
    public static final String PREALLOCATE_BYTES_PROPERTY = "haseq.storage.file.preallocate-bytes";

    private final int segmentBytes;

    /** The provider {@code ServiceLoader} creates: segment size from the system property or the default. */
    public FileLogStoreProvider() {
        this(0);
    }

    /** A provider with a fixed segment size (bytes), e.g. small segments in tests. */
    public FileLogStoreProvider(int segmentBytes) {
        this.segmentBytes = segmentBytes;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LogStore open(StorageContext context) {
        return FileLogStore.open(context, segmentBytes > 0 ? segmentBytes : configuredSegmentBytes(),
                configuredPreallocateBytes());
    }

    private static long configuredPreallocateBytes() {
        String v = System.getProperty(PREALLOCATE_BYTES_PROPERTY);
        if (v == null || v.isBlank()) {
            return FileLogStore.DEFAULT_PREALLOCATE_BYTES;
        }
        try {
            long bytes = Long.parseLong(v.strip());
            if (bytes >= 0) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + PREALLOCATE_BYTES_PROPERTY + " must be a number of "
                + "bytes >= 0 (0 turns preallocation off), got '" + v + "'");
    }

    private static int configuredSegmentBytes() {
        String v = System.getProperty(SEGMENT_BYTES_PROPERTY);
        if (v == null || v.isBlank()) {
            return FileLogStore.DEFAULT_SEGMENT_BYTES;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + SEGMENT_BYTES_PROPERTY + " must be a number of bytes "
                    + "between " + FileLogStore.MIN_SEGMENT_BYTES + " and " + FileLogStore.MAX_SEGMENT_BYTES + ", got '"
                    + v + "'", e);
        }
    }
}
