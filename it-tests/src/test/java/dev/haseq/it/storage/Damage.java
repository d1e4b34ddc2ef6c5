package dev.haseq.it.storage;

/**
 * How a conformance test asks a provider hook to damage a record or file on disk (with the store
 * closed). Both are what a crash or a bad disk leaves behind; the suite states, per store kind,
 * what the store must do about it.
 */
public enum Damage {
    /** The record or file is cut short, as a crash in the middle of writing it leaves it. */
    TRUNCATED,
    /** Bytes inside the record or file are changed (bit rot, a torn sector); its length is unchanged. */
    BYTES_FLIPPED
}
