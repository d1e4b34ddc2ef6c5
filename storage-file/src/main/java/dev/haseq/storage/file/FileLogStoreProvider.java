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
 */
public final class FileLogStoreProvider implements LogStoreProvider {
    public static final String NAME = "file";
    public static final String SEGMENT_BYTES_PROPERTY = "haseq.storage.file.segment-bytes";

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
        return FileLogStore.open(context, segmentBytes > 0 ? segmentBytes : configuredSegmentBytes());
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
