package dev.haseq.api.codec;

/**
 * Frame type ids, one registry so no two kinds of value share an id. Ranges: 1-99 domain values
 * (this module), 100-199 native Raft messages and records, 200-299 node records, 300-399 catch-up,
 * 1000+ reserved for third-party providers.
 */
public final class TypeIds {
    public static final int TX = 1;
    public static final int BLOCK_HEADER = 2;
    public static final int BLOCK = 3;
    public static final int SIGNED_HEADER = 4;
    public static final int TERM_AND_VOTE = 5;
    public static final int SNAPSHOT_META = 6;
    public static final int LOG_ENTRY = 7;

    public static final int RAFT_FIRST = 100;
    public static final int RAFT_LAST = 199;
    public static final int NODE_FIRST = 200;
    public static final int NODE_LAST = 299;
    public static final int CATCHUP_FIRST = 300;
    public static final int CATCHUP_LAST = 399;
    public static final int THIRD_PARTY_FIRST = 1000;

    private TypeIds() {
    }
}
