package dev.haseq.api.consensus;

/**
 * A proposal that was committed and applied locally.
 *
 * @param index  its log index
 * @param term   the term it was committed in
 * @param result what {@link StateMachine#apply} returned
 */
public record Committed(long index, long term, byte[] result) {
}
