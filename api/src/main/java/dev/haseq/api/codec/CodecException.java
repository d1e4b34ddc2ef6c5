package dev.haseq.api.codec;

/**
 * Bytes that do not decode: truncated, corrupt (checksum mismatch), of an unknown version or type,
 * or larger than allowed. Decoding never returns a wrong value; it throws this instead.
 */
public class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
