package org.rnn4j.data.text;

import java.util.Objects;

/**
 * A long sequence of token ids read by range: an array, or a memory-mapped id file of a text
 * larger than memory ({@link TokenFile}). Indices are {@code int}: at most {@code 2^31 - 1} ids.
 */
public interface IdSequence {

    /** The number of ids. */
    int length();

    /** Copies ids {@code [from, from + count)} into {@code dst[offset ..]}. */
    void read(int from, int[] dst, int offset, int count);

    /** Ids {@code [from, to)} as a sequence of their own (a view). */
    default IdSequence slice(int from, int to) {
        checkRange(from, to - from, length());
        IdSequence source = this;
        return new IdSequence() {
            @Override
            public int length() {
                return to - from;
            }

            @Override
            public void read(int start, int[] dst, int offset, int count) {
                checkRange(start, count, to - from);
                source.read(from + start, dst, offset, count);
            }
        };
    }

    /** The ids of an array (not copied: do not change it afterwards). */
    static IdSequence of(int[] ids) {
        Objects.requireNonNull(ids, "ids");
        return new IdSequence() {
            @Override
            public int length() {
                return ids.length;
            }

            @Override
            public void read(int from, int[] dst, int offset, int count) {
                checkRange(from, count, ids.length);
                System.arraycopy(ids, from, dst, offset, count);
            }
        };
    }

    /** Refuses a range {@code [from, from + count)} outside {@code [0, length)}. */
    static void checkRange(int from, int count, int length) {
        if (from < 0 || count < 0 || from > length - count) {
            throw new IndexOutOfBoundsException(
                    "range [" + from + ", " + ((long) from + count) + ") is outside the " + length + " ids");
        }
    }
}
