package dev.haseq.node.exec;

import dev.haseq.api.Tx;
import dev.haseq.api.exec.InvalidTxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A key-value transaction: {@code set <key> <value>} in UTF-8 (docs/api.md, "Transactions").
 *
 * <ul>
 *   <li>the verb {@code set}, lower case, then exactly one space;</li>
 *   <li>a key of 1-{@value #MAX_KEY_LENGTH} characters from {@code A-Z a-z 0-9 . _ : / -};</li>
 *   <li>exactly one space, then the value: everything up to the end of the body (possibly empty,
 *       may contain spaces), with no control characters (so no trailing newline).</li>
 * </ul>
 */
public record KvTx(String key, String value) {
    public static final int MAX_KEY_LENGTH = 256;
    private static final String VERB = "set ";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:/-]{1," + MAX_KEY_LENGTH + "}");

    public KvTx {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a key is 1-" + MAX_KEY_LENGTH
                    + " characters of A-Z a-z 0-9 . _ : / -, got '" + key + "'");
        }
        if (value == null || value.chars().anyMatch(KvTx::isControl)) {
            throw new IllegalArgumentException("a value must not contain control characters (including newlines)");
        }
    }

    public Tx toTx() {
        return new Tx((VERB + key + " " + value).getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a transaction; the message of the exception says what is wrong and what is expected. */
    public static KvTx parse(Tx tx) throws InvalidTxException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(tx.data())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTxException("transaction is not valid UTF-8; expected 'set <key> <value>'");
        }
        if (!text.startsWith(VERB)) {
            throw new InvalidTxException("transaction must start with 'set ' (expected 'set <key> <value>'), got '"
                    + abbreviate(text) + "'");
        }
        int space = text.indexOf(' ', VERB.length());
        if (space < 0) {
            throw new InvalidTxException("transaction has no value: expected 'set <key> <value>' with one space after the key");
        }
        try {
            return new KvTx(text.substring(VERB.length(), space), text.substring(space + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidTxException("invalid transaction: " + e.getMessage());
        }
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7F;
    }

    private static String abbreviate(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder b = new StringBuilder();
        t.chars().forEach(c -> b.append(isControl(c) ? String.format("\\x%02x", c) : String.valueOf((char) c)));
        return b.toString();
    }
}
