package org.rnn4j.backend.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An element-wise product, sum or difference of two same-shape arrays, or one minus an array, bound once to
 * the arrays it reads and writes, then run as often as needed: the per-step arithmetic of a recurrent node, whose arrays
 * are kept between runs ({@link KeptArrays}).
 *
 * <p>ND4J runs {@code multiply}, {@code add} and {@code subtract} as custom ops, and for every call it is handed
 * (a new {@link MulOp}, or {@code muli}) it builds a native op context, files the arrays into it
 * and frees it again. For a {@code [256, 32]} multiply (a W2 gate at half batch) that took 10.1-11.4
 * microseconds a call, against 2.9-3.2 through a context made once (one core, 2026-12-06, the
 * {@code ops} lines of {@code benchmarks/manual.sh dl4j-cores}). An LSTM step runs up to 18 such calls and 2 scalar ones
 * (4 forwards, 16 backwards), each also paid again by every part of a split batch
 * ({@link org.rnn4j.api.backend.SplitProgram}).
 *
 * <p>A context refers to its arrays until {@link #close}, which drops them; the arrays must
 * outlive it (the node's kept arrays own them, and close their ops first). ND4J frees the native
 * context itself when the collector finds the object: its {@code close()} does nothing in
 * 1.0.0-M2.1. Same kernels as the unbound call, so the same bits. Not thread-safe: one program's
 * calls are serialized.
 */
final class BoundOp implements AutoCloseable {
    private final CustomOp op;
    private final OpContext context;
    private final ScalarOp scalar;

    /** Ops made and not yet closed, in this process (for tests). */
    private static final java.util.concurrent.atomic.AtomicLong OPEN = new java.util.concurrent.atomic.AtomicLong();

    private boolean closed;

    private BoundOp(CustomOp op, INDArray a, INDArray b, INDArray out) {
        this.op = op;
        this.context = Nd4j.getExecutioner().buildContext();
        this.scalar = null;
        context.setInputArrays(a, b);
        context.setOutputArrays(out);
        OPEN.incrementAndGet();
    }

    private BoundOp(ScalarOp scalar) {
        this.op = null;
        this.context = null;
        this.scalar = scalar;
        OPEN.incrementAndGet();
    }

    /** {@code out = a * b}, element by element; {@code out} may be {@code a} or {@code b}. */
    static BoundOp multiply(INDArray a, INDArray b, INDArray out) {
        return new BoundOp(new MulOp(), a, b, out);
    }

    /** {@code out = a + b}, element by element; {@code out} may be {@code a} or {@code b}. */
    static BoundOp add(INDArray a, INDArray b, INDArray out) {
        return new BoundOp(new AddOp(), a, b, out);
    }

    /** {@code out = a - b}, element by element; {@code out} may be {@code a} or {@code b}. */
    static BoundOp subtract(INDArray a, INDArray b, INDArray out) {
        return new BoundOp(new SubOp(), a, b, out);
    }

    /**
     * {@code out = 1 - a}, element by element; {@code out} may be {@code a}. A scalar op, kept
     * whole: making one makes its scalar operand as an array of its own, native memory and all,
     * which cost 11.2-14.9 microseconds a call ({@code rsub(1f, out)} on {@code [256, 32]}) against
     * 1.8-2.1 for the op kept (same measurement).
     */
    static BoundOp oneMinus(INDArray a, INDArray out) {
        return new BoundOp(new ScalarReverseSubtraction(a, null, out, 1f));
    }

    /** Computes the op on the arrays' current values. */
    void run() {
        if (scalar != null) {
            Nd4j.getExecutioner().exec(scalar);
        } else {
            Nd4j.getExecutioner().exec(op, context);
        }
    }

    /** Ops made and not yet closed, in this process (for tests). */
    static long open() {
        return OPEN.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.decrementAndGet();
        if (context != null) {
            context.purge();
        }
    }
}
