package dev.haseq.api.codec;

/**
 * Encodes one kind of value into an {@link Envelope} payload and back. Implementations are
 * stateless and thread-safe. {@link #decode} never returns a wrong value: a frame of another type,
 * a corrupt or truncated frame, or trailing bytes raise {@link CodecException}.
 */
public interface ValueCodec<T> {

    /** The frame type id (see {@link TypeIds}). */
    int type();

    void write(T value, ByteWriter out);

    T read(ByteReader in);

    /** The value as a complete, checksummed frame. */
    default byte[] encode(T value) {
        ByteWriter w = new ByteWriter();
        write(value, w);
        return Envelope.wrap(type(), w.toByteArray());
    }

    default T decode(byte[] frame) {
        return decodePayload(Envelope.unwrap(frame));
    }

    /** Decodes an already unwrapped frame, checking that it is of this codec's type. */
    default T decodePayload(Envelope.Frame frame) {
        if (frame.type() != type()) {
            throw new CodecException("expected frame type " + type() + ", got " + frame.type());
        }
        ByteReader r = new ByteReader(frame.payload());
        T value;
        try {
            value = read(r);
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid value in frame type " + type() + ": " + e.getMessage(), e);
        }
        r.expectEnd();
        return value;
    }
}
