package org.rnn4j.api.sequence;

import java.util.ArrayList;
import java.util.List;

/**
 * How a sequence is cut into the chunks its pieces run: as many full chunks as fit, then the rest
 * as falling powers of two (11 steps in chunks of 4: 4, 4, 2, 1). Every length is covered without
 * padding by at most {@code 1 + log2(chunk)} piece lengths, so any number of lengths shares the
 * same few compiled pieces, and no step is masked or wasted.
 */
final class Segments {
    private Segments() {}

    /** One chunk: {@code [start, start + length)}. */
    record Segment(int start, int length) {
        int end() {
            return start + length;
        }
    }

    /** The chunks of {@code [0, total)}. */
    static List<Segment> of(int total, int chunk) {
        return of(0, total, chunk, new ArrayList<>());
    }

    /** The chunks of {@code [0, total)} with a chunk boundary at {@code cut} ({@code 0 < cut < total}, or ignored). */
    static List<Segment> of(int total, int chunk, int cut) {
        if (cut <= 0 || cut >= total) {
            return of(total, chunk);
        }
        List<Segment> out = of(0, cut, chunk, new ArrayList<>());
        return of(cut, total, chunk, out);
    }

    private static List<Segment> of(int from, int to, int chunk, List<Segment> out) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk length must be >= 1, got " + chunk);
        }
        int at = from;
        while (to - at >= chunk) {
            out.add(new Segment(at, chunk));
            at += chunk;
        }
        for (int p = Integer.highestOneBit(Math.max(1, chunk)); p >= 1 && at < to; p >>= 1) {
            if (to - at >= p) {
                out.add(new Segment(at, p));
                at += p;
            }
        }
        return out;
    }

    /** The piece lengths a chunk length can use: the chunk and every power of two below it. */
    static List<Integer> lengths(int chunk) {
        List<Integer> out = new ArrayList<>();
        out.add(chunk);
        for (int p = Integer.highestOneBit(chunk); p >= 1; p >>= 1) {
            if (p < chunk) {
                out.add(p);
            }
        }
        return out;
    }
}
