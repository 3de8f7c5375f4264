package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One forward SimpleRNN or GRU layer (Keras semantics, {@code tanh} and {@code sigmoid}; GRU gate
 * blocks z, r, h, both {@code reset_after} modes) as a single node of a {@link TapeGraph}, the way
 * {@link TapeLstm} runs an LSTM: few and large ND4J calls into arrays it keeps, where the unrolled
 * graph makes some 15 ops (GRU) per step forwards and 30 backwards, each with its own Java objects
 * and allocation.
 *
 * <p>Time-major throughout ({@code [time, batch, ...]}); {@code h'} is the state before a step
 * ({@code h0}, or zero for the first step of a whole sequence):
 * <ul>
 * <li>forward: {@code Z = X.W + b} for all steps as one matmul; per step, SimpleRNN:
 * {@code Z_t += h'.U}, {@code tanh} in place ({@code Z_t} is then {@code h_t}). GRU
 * {@code reset_after}: {@code M_t = h'.U + b1} (the bias filled in for all steps first),
 * {@code Z_zr += M_zr}, sigmoid in place, {@code Z_h += r*M_h}, tanh in place. GRU without it:
 * {@code Z_zr += h'.U_zr}, sigmoid, {@code RH_t = r*h'}, {@code Z_h += RH_t.U_h}, tanh. Then
 * {@code D_t = h' - hh} and {@code h = hh + z*D_t}.
 * <li>backward, per step from the last, with {@code dh = dY_t + dh'} and the factors of all steps
 * worked out in bulk first ({@code Kz = D*z*(1-z)}, {@code Kh = (1-z)*(1-hh^2)}, and
 * {@code Kr = M_h*r*(1-r)} or {@code h'*r*(1-r)}): SimpleRNN {@code dZ_t = dh*(1-h^2)},
 * {@code dh' = dZ_t.U^T}. GRU {@code dZ_z = dh*Kz}, {@code dZ_h = dh*Kh}; with {@code reset_after}
 * {@code dZ_r = dZ_h*Kr}, {@code dM_t = [dZ_z, dZ_r, dZ_h*r]}, {@code dh' = dh*z + dM_t.U^T};
 * without, {@code dRH = dZ_h.U_h^T}, {@code dZ_r = dRH*Kr},
 * {@code dh' = dh*z + dRH*r + dZ_zr.U_zr^T}. Then the weight gradients of all steps at once:
 * {@code dW = X^T.dZ}, {@code dU} from the previous states and {@code dZ} (or {@code dM}, or
 * {@code RH} for the candidate block), {@code db = sum(dZ)} (and {@code db1 = sum(dM)}),
 * {@code dX = dZ.W^T}.
 * </ul>
 * Training keeps the arrays per batch size as {@link TapeLstm} does (see there: views cost as much
 * as small ops, every run overwrites them before reading, and the results handed on stay valid
 * until the next run). A pass that will not be differentiated gets arrays of its own, freed with
 * its run, so inference graphs keep nothing.
 *
 * <p>The per-step element-wise calls are bound once to their arrays ({@link BoundOp}), as
 * {@link TapeLstm}'s are: GRU's forwards on a set's first step-by-step pass (a recalled chunk binds
 * none; a set used once lets them go at the end of its pass), its backwards and SimpleRNN's on the
 * first backward pass. The calls of step 0 that read a fed {@code h0}, the copy of {@code dZ_zr}
 * into {@code dM_zr} and the activations run unbound.
 *
 * <p>With a state ({@code hasState}) the first step starts from the fed {@code h0}, the last
 * {@code h} is an output of its own ({@link #lastH}) whose gradient the backward pass takes as a
 * seed, and the gradient of {@code h0} is returned after the others. Such a piece's training runs
 * remember and recall their hidden states ({@link Recall}, {@link RememberedChunks}): a recalled
 * chunk computes its gates from the known states in a few bulk ops instead of the step loop.
 */
final class TapeRnn implements AutoCloseable {
    /** Which layer a node runs. */
    enum Cell {
        SIMPLE(0, 1),
        GRU(1, 3),
        GRU_RESET_AFTER(2, 3);

        /** The cell's number in a node's arguments. */
        final int code;

        final int gates;

        Cell(int code, int gates) {
            this.code = code;
            this.gates = gates;
        }

        static Cell of(int code) {
            for (Cell c : values()) {
                if (c.code == code) {
                    return c;
                }
            }
            throw new IllegalArgumentException("no recurrent cell numbered " + code);
        }
    }

    private final Cell cell;
    private final int units;
    private final boolean returnSequences;
    private final boolean hasBias;
    private final boolean hasState;
    private final KeptArrays<Scratch> scratch = new KeptArrays<>();

    TapeRnn(Cell cell, int units, boolean returnSequences, boolean hasBias, boolean hasState) {
        this.cell = cell;
        this.units = units;
        this.returnSequences = returnSequences;
        this.hasBias = hasBias;
        this.hasState = hasState;
    }

    /** What a forward pass leaves for its backward pass and state output. */
    record Pass(Scratch s, INDArray kernel, INDArray recurrentKernel, INDArray h0) {}

    /** The last hidden state of a pass {@code [batch, units]}, a view valid until the next run. */
    static INDArray lastH(Pass p) {
        return p.s().h[(int) p.s().steps - 1];
    }

    /**
     * What a training forward pass of a piece does with its hidden states. A chunked training step
     * (gradient checkpointing, {@link org.rnn4j.api.sequence.SequenceDriver}) runs every chunk
     * forwards twice: once to carry the states along the sequence ({@link #REMEMBER}: keep the
     * chunk's hidden states), then again, last chunk first, just before its backward pass
     * ({@link #RECALL}: when the inputs and weights are those of the last chunk remembered, take its
     * hidden states). With every step's {@code h} known the gates of all steps are a few bulk
     * ops instead of a loop of small ones, which is most of the price of recomputing.
     */
    enum Recall {
        NONE,
        REMEMBER,
        RECALL
    }

    private final RememberedChunks remembered = new RememberedChunks();

    /** How many chunks a forward pass took from the remembered ones instead of recomputing them step by step. */
    long recalled() {
        return remembered.recalled();
    }

    private static void mul(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new MulOp(a, b, out));
    }

    private static void sigmoid(INDArray a) {
        Nd4j.getExecutioner().exec(new Sigmoid(a, a));
    }

    private static void tanh(INDArray a) {
        Nd4j.getExecutioner().exec(new Tanh(a, a));
    }

    /** Columns {@code [from, to)} of the last axis of {@code a}, as a view. */
    private static INDArray cols(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        for (int i = 0; i < idx.length - 1; i++) {
            idx[i] = NDArrayIndex.all();
        }
        idx[idx.length - 1] = NDArrayIndex.interval(from, to);
        return a.get(idx);
    }

    private Scratch kept(long batch, long steps, long features) {
        return scratch.get(batch, steps, features, () -> new Scratch(batch, steps, features, true));
    }

    /**
     * The forward pass; with {@code keepForBackward} into this node's kept arrays, with
     * {@code saved} set for {@link #backward}.
     *
     * @param x    {@code [batch, time, features]}
     * @param bias {@code [gates*U]} ({@code [2, 3U]} for {@link Cell#GRU_RESET_AFTER}) or null
     * @param h0   the initial state {@code [batch, units]}, or null for zeros
     * @param recall whether a piece's training pass remembers its hidden states or may recall them
     * @return {@code [batch, time, units]} or the last step's {@code [batch, units]}
     */
    INDArray forward(
            TapeGraph.Run run,
            INDArray x,
            INDArray kernel,
            INDArray recurrentKernel,
            INDArray bias,
            INDArray h0,
            boolean keepForBackward,
            Recall recall,
            Pass[] saved) {
        Scratch s;
        if (keepForBackward) {
            s = kept(x.size(0), x.size(1), x.size(2));
        } else {
            s = new Scratch(x.size(0), x.size(1), x.size(2), false);
            s.owned.forEach(run::own);
        }
        saved[0] = new Pass(s, kernel, recurrentKernel, h0);
        s.xTime.assign(x.permute(1, 0, 2));
        Nd4j.gemm(s.xFlat, kernel, s.z, false, false, 1.0, 0.0);
        INDArray inputBias = bias == null || cell != Cell.GRU_RESET_AFTER ? bias : bias.slice(0);
        if (inputBias != null) {
            s.z.addiRowVector(inputBias);
        }
        INDArray recurrentBias = bias == null || cell != Cell.GRU_RESET_AFTER ? null : bias.slice(1);
        INDArray[] inputs = {x, h0};
        INDArray[] weights = {kernel, recurrentKernel, bias};
        INDArray[] known =
                keepForBackward && hasState && recall == Recall.RECALL ? remembered.take(inputs, weights) : null;
        if (known != null) {
            try {
                switch (cell) {
                    case SIMPLE -> s.gates.assign(known[0]);
                    case GRU -> gruBulk(s, recurrentKernel, h0, known[0]);
                    case GRU_RESET_AFTER -> gruResetAfterBulk(s, recurrentKernel, recurrentBias, h0, known[0]);
                }
            } finally {
                RememberedChunks.free(known);
            }
        } else {
            try {
                switch (cell) {
                    case SIMPLE -> simpleForward(s, recurrentKernel, h0);
                    case GRU -> gruForward(s, recurrentKernel, h0);
                    case GRU_RESET_AFTER -> gruResetAfterForward(s, recurrentKernel, recurrentBias, h0);
                }
            } finally {
                if (!keepForBackward) {
                    // A set used once: its arrays are the run's, its bound calls go now (binding
                    // them cost about what the unbound calls would: a context made per call either way).
                    s.closeBound();
                }
            }
        }
        if (keepForBackward && hasState && recall == Recall.REMEMBER) {
            remembered.remember(inputs, weights, new INDArray[] {s.hidden});
        }
        if (returnSequences) {
            s.sequence.assign(s.hidden.permute(1, 0, 2));
            return s.sequence;
        }
        return s.h[(int) s.steps - 1];
    }

    private void simpleForward(Scratch s, INDArray u, INDArray h0) {
        for (int t = 0; t < s.steps; t++) {
            INDArray prev = t > 0 ? s.h[t - 1] : h0;
            if (prev != null) {
                Nd4j.gemm(prev, u, s.zt[t], false, false, 1.0, 1.0);
            }
            tanh(s.zt[t]);
        }
    }

    private void gruResetAfterForward(Scratch s, INDArray u, INDArray recurrentBias, INDArray h0) {
        s.mFlat.assign(0);
        if (recurrentBias != null) {
            s.mFlat.addiRowVector(recurrentBias);
        }
        GruStep[] ops = s.gruForward();
        for (int t = 0; t < s.steps; t++) {
            INDArray prev = t > 0 ? s.h[t - 1] : h0;
            if (prev != null) {
                Nd4j.gemm(prev, u, s.mt[t], false, false, 1.0, 1.0);
            }
            GruStep op = ops[t];
            op.gates().run();
            sigmoid(s.zr[t]);
            op.reset().run();
            op.candidate().run();
            tanh(s.hh[t]);
            gruOutput(s, t, prev, op);
        }
    }

    private void gruForward(Scratch s, INDArray u, INDArray h0) {
        INDArray uZr = cols(u, 0, 2L * units);
        INDArray uH = cols(u, 2L * units, 3L * units);
        GruStep[] ops = s.gruForward();
        for (int t = 0; t < s.steps; t++) {
            INDArray prev = t > 0 ? s.h[t - 1] : h0;
            GruStep op = ops[t];
            if (prev != null) {
                // ND4J's gemm writes only into contiguous arrays, and the z and r blocks are not.
                Nd4j.gemm(prev, uZr, s.tmpZr, false, false, 1.0, 0.0);
                op.gates().run();
            }
            sigmoid(s.zr[t]);
            if (prev != null) {
                if (t > 0) {
                    op.reset().run();
                } else {
                    mul(s.r[t], prev, s.rh[t]);
                }
                Nd4j.gemm(s.rh[t], uH, s.tmp, false, false, 1.0, 0.0);
                op.candidate().run();
            } else {
                s.rh[t].assign(0);
            }
            tanh(s.hh[t]);
            gruOutput(s, t, prev, op);
        }
    }

    /**
     * The known hidden states into {@code hidden}, and the state before every step
     * ({@code h0} or zeros, then {@code h_0..h_{T-2}}) into {@code prevAll}.
     */
    private static void knownStates(Scratch s, INDArray h0, INDArray hidden) {
        s.hidden.assign(hidden);
        if (h0 != null) {
            s.prevFirst.assign(h0);
        } else {
            s.prevFirst.assign(0);
        }
        if (s.steps > 1) {
            s.prevRest.assign(s.hiddenHead);
        }
    }

    /**
     * GRU {@code reset_after} gates of all steps from known hidden states: the same equations as
     * {@link #gruResetAfterForward}, each op over the whole chunk.
     */
    private static void gruResetAfterBulk(Scratch s, INDArray u, INDArray recurrentBias, INDArray h0, INDArray hidden) {
        knownStates(s, h0, hidden);
        s.mFlat.assign(0);
        if (recurrentBias != null) {
            s.mFlat.addiRowVector(recurrentBias);
        }
        Nd4j.gemm(s.prevFlat, u, s.mFlat, false, false, 1.0, 1.0);
        s.zrAll.addi(s.mzrAll);
        sigmoid(s.zrAll);
        mul(s.rAll, s.mhAll, s.diffAll);
        s.hhAll.addi(s.diffAll);
        tanh(s.hhAll);
        s.hhAll.rsub(s.prevAll, s.diffAll);
    }

    /** GRU gates of all steps from known hidden states, as {@link #gruForward} computes them step by step. */
    private void gruBulk(Scratch s, INDArray u, INDArray h0, INDArray hidden) {
        INDArray uZr = cols(u, 0, 2L * units);
        INDArray uH = cols(u, 2L * units, 3L * units);
        knownStates(s, h0, hidden);
        Nd4j.gemm(s.prevFlat, uZr, s.bulkZrFlat, false, false, 1.0, 0.0);
        s.zrAll.addi(s.bulkZr);
        sigmoid(s.zrAll);
        mul(s.rAll, s.prevAll, s.rhAll);
        // kh is free until the backward pass: the candidate's recurrent product of all steps
        Nd4j.gemm(s.rhFlat, uH, s.khFlat, false, false, 1.0, 0.0);
        s.hhAll.addi(s.kh);
        tanh(s.hhAll);
        s.hhAll.rsub(s.prevAll, s.diffAll);
    }

    /** {@code D = h' - hh}, {@code h = hh + z*D} (kept: {@code D} feeds the gradient of z). */
    private static void gruOutput(Scratch s, int t, INDArray prev, GruStep op) {
        if (t > 0) {
            op.difference().run();
        } else if (prev != null) {
            s.hh[t].rsub(prev, s.diff[t]);
        } else {
            s.hh[t].mul(-1f, s.diff[t]);
        }
        op.update().run();
        op.output().run();
    }

    /**
     * @param dy     the gradient of the output ({@code [batch, time, units]} or {@code [batch, units]}),
     *               or null when only the last state is differentiated
     * @param dhLast the gradient of {@link #lastH} as an output of its own, or null
     * @param wantsX whether to compute the input's gradient
     * @return gradients of x (or null), kernel, recurrent kernel, bias (when there is one) and h0 (when
     *         the layer has a state), in input order
     */
    INDArray[] backward(Pass pass, INDArray dy, INDArray dhLast, boolean wantsX) {
        Scratch s = pass.s();
        int steps = (int) s.steps;
        if (returnSequences) {
            if (dy == null) {
                s.dyTime.assign(0);
            } else {
                s.dyTime.assign(dy.permute(1, 0, 2));
            }
            if (dhLast != null) {
                s.dyT[steps - 1].addi(dhLast);
            }
        } else if (dy == null) {
            if (dhLast == null) {
                s.dh.assign(0);
            } else {
                s.dh.assign(dhLast);
            }
        } else {
            s.dh.assign(dy);
            if (dhLast != null) {
                s.dh.addi(dhLast);
            }
        }
        switch (cell) {
            case SIMPLE -> simpleBackward(s, pass.recurrentKernel());
            case GRU -> gruBackward(s, pass.recurrentKernel(), pass.h0());
            case GRU_RESET_AFTER -> gruResetAfterBackward(s, pass.recurrentKernel());
        }
        // The recurrent kernel: previous states against the gradients it multiplies.
        INDArray dzR = cell == Cell.GRU_RESET_AFTER ? s.dm : s.dz;
        INDArray dzRFlat = cell == Cell.GRU_RESET_AFTER ? s.dmFlat : s.dzFlat;
        // A GRU without reset_after works out the z and r columns apart (gemm writes no strided views).
        INDArray dRec = cell == Cell.GRU ? s.dRecZr : s.dRecurrent;
        long recCols = cell == Cell.GRU ? 2L * units : (long) cell.gates * units;
        if (steps > 1) {
            INDArray rest = dzR.get(NDArrayIndex.interval(1, steps), NDArrayIndex.all(), NDArrayIndex.all())
                    .reshape('c', new long[] {(steps - 1) * s.batch, (long) cell.gates * units});
            Nd4j.gemm(s.hPrev, cols(rest, 0, recCols), dRec, true, false, 1.0, 0.0);
        } else {
            dRec.assign(0);
        }
        if (pass.h0() != null) {
            Nd4j.gemm(pass.h0(), cols(dzR.slice(0), 0, recCols), dRec, true, false, 1.0, 1.0);
        }
        if (cell == Cell.GRU) {
            Nd4j.gemm(s.rhFlat, cols(s.dzFlat, 2L * units, 3L * units), s.dRecH, true, false, 1.0, 0.0);
            cols(s.dRecurrent, 0, 2L * units).assign(s.dRecZr);
            cols(s.dRecurrent, 2L * units, 3L * units).assign(s.dRecH);
        }
        Nd4j.gemm(s.xFlat, s.dzFlat, s.dKernel, true, false, 1.0, 0.0);
        INDArray dBias = null;
        if (hasBias) {
            Nd4j.gemm(s.ones, s.dzFlat, s.dBias0, false, false, 1.0, 0.0);
            if (cell == Cell.GRU_RESET_AFTER) {
                Nd4j.gemm(s.ones, dzRFlat, s.dBias1, false, false, 1.0, 0.0);
            }
            dBias = s.dBias;
        }
        INDArray dx = null;
        if (wantsX) {
            Nd4j.gemm(s.dzFlat, pass.kernel(), s.dxFlat, false, true, 1.0, 0.0);
            s.dx.assign(s.dxTime.permute(1, 0, 2));
            dx = s.dx;
        }
        List<INDArray> out = new ArrayList<>(Arrays.asList(dx, s.dKernel, s.dRecurrent));
        if (hasBias) {
            out.add(dBias);
        }
        if (hasState) {
            // After the loop dhNext holds the gradient of the state before the first step.
            out.add(s.dhNext);
        }
        return out.toArray(new INDArray[0]);
    }

    private void simpleBackward(Scratch s, INDArray u) {
        int steps = (int) s.steps;
        // 1 - h^2 for all steps, then times dh step by step (the calls bound once, see BoundOp).
        s.gates.mul(s.gates, s.dz).rsubi(1f);
        s.bindSimpleBackward();
        for (int t = steps - 1; t >= 0; t--) {
            if (s.carry[t] != null) {
                s.carry[t].run();
            }
            s.slope[t].run();
            if (t > 0 || hasState) {
                Nd4j.gemm(s.dzt[t], u, s.dhNext, false, true, 1.0, 0.0);
            }
        }
    }

    /** The factors of all steps: {@code Kz = D*z*(1-z)} (into D), {@code Kh = (1-z)*(1-hh^2)}. */
    private static void gruFactors(Scratch s) {
        s.zAll.rsub(1f, s.kh);
        s.diffAll.muli(s.zAll).muli(s.kh);
        // 1 - hh^2, in dZ's candidate block until the loop overwrites it
        s.hhAll.mul(s.hhAll, s.dzhAll).rsubi(1f);
        s.kh.muli(s.dzhAll);
        s.rAll.rsub(1f, s.kr).muli(s.rAll);
    }

    private void gruResetAfterBackward(Scratch s, INDArray u) {
        int steps = (int) s.steps;
        gruFactors(s);
        s.kr.muli(s.mhAll);
        GruBack[] ops = s.gruBackward();
        for (int t = steps - 1; t >= 0; t--) {
            GruBack op = ops[t];
            op.carry();
            op.dz().run();
            op.dh().run();
            op.dr().run();
            s.dmzr[t].assign(s.dzzr[t]);
            op.dRecurrent().run();
            if (op.dPrev() != null) {
                op.dPrev().run();
                Nd4j.gemm(s.dmt[t], u, s.dhNext, false, true, 1.0, 1.0);
            }
        }
    }

    private void gruBackward(Scratch s, INDArray u, INDArray h0) {
        int steps = (int) s.steps;
        INDArray uZr = cols(u, 0, 2L * units);
        INDArray uH = cols(u, 2L * units, 3L * units);
        gruFactors(s);
        // Kr = r*(1-r)*h'
        if (steps > 1) {
            s.kr.get(NDArrayIndex.interval(1, steps), NDArrayIndex.all(), NDArrayIndex.all())
                    .muli(s.hidden.get(NDArrayIndex.interval(0, steps - 1), NDArrayIndex.all(), NDArrayIndex.all()));
        }
        if (h0 != null) {
            s.krT[0].muli(h0);
        } else {
            s.krT[0].assign(0);
        }
        GruBack[] ops = s.gruBackward();
        for (int t = steps - 1; t >= 0; t--) {
            GruBack op = ops[t];
            op.carry();
            op.dz().run();
            op.dh().run();
            Nd4j.gemm(s.dzh[t], uH, s.tmp, false, true, 1.0, 0.0);
            op.dr().run();
            if (op.dPrev() != null) {
                op.dPrev().run();
                op.dRecurrent().run();
                op.dPrevSum().run();
                Nd4j.gemm(s.dzzr[t], uZr, s.dhNext, false, true, 1.0, 1.0);
            }
        }
    }

    /** Ops bound to the arrays kept for all batch sizes ({@link BoundOp}). */
    long boundOps() {
        return scratch.boundOps();
    }

    /** Bytes of the arrays kept for all batch sizes. */
    long keptBytes() {
        return scratch.bytes() + remembered.bytes();
    }

    /** Frees every kept array and the remembered chunks. */
    @Override
    public void close() {
        scratch.close();
        remembered.close();
    }

    /**
     * GRU's element-wise calls of one forward step, bound to the step's arrays ({@link
     * Scratch#gruForward}, see {@link BoundOp}): the gates' recurrent product added ({@code gates}),
     * the reset gate applied ({@code reset}: {@code r*M_h} with reset_after, else {@code r*h'}), the
     * candidate's product added ({@code candidate}), then {@code D = h' - hh} ({@code difference}),
     * {@code h = z*D} ({@code update}) and {@code h += hh} ({@code output}). At step 0 the calls that
     * read the state before it (a fed {@code h0}, a different array from call to call) are null: that
     * step runs them unbound.
     */
    private record GruStep(
            BoundOp gates, BoundOp reset, BoundOp candidate, BoundOp difference, BoundOp update, BoundOp output) {}

    /**
     * GRU's element-wise calls of one backward step ({@link Scratch#gruBackward}): the gradient
     * carried from the next step added to {@code dY_t} ({@code carried}: sequences only, null at the
     * last step), {@code dZ_z = dh*D} ({@code dz}), {@code dZ_h = dh*Kh} ({@code dh}), the reset gate's
     * {@code dZ_r} ({@code dr}), the recurrent candidate's part ({@code dRecurrent}: {@code dM_h =
     * dZ_h*r} with reset_after, else {@code tmp *= r}), and the gradient handed to the step before,
     * {@code dh' = dh*z} ({@code dPrev}) plus, without reset_after, {@code tmp} ({@code dPrevSum});
     * null where nothing is handed back (step 0 of a layer without a state input).
     */
    private record GruBack(
            BoundOp carried, BoundOp dz, BoundOp dh, BoundOp dr, BoundOp dRecurrent, BoundOp dPrev, BoundOp dPrevSum) {
        void carry() {
            if (carried != null) {
                carried.run();
            }
        }
    }

    /** The arrays of one batch size, and their per-step views; the backward ones only when training. */
    private final class Scratch extends KeptArrays.Arrays {
        final long batch;

        final INDArray xTime;
        final INDArray xFlat;
        final INDArray z;
        final INDArray gates;
        final INDArray hidden;
        final INDArray sequence;
        final INDArray[] zt;
        final INDArray[] h;
        // GRU
        INDArray zAll;
        INDArray rAll;
        INDArray hhAll;
        INDArray diffAll;
        INDArray m;
        INDArray mFlat;
        INDArray mhAll;
        INDArray rhFlat;
        INDArray rhAll;
        INDArray zrAll;
        INDArray mzrAll;
        INDArray bulkZr;
        INDArray bulkZrFlat;
        INDArray prevAll;
        INDArray prevFlat;
        INDArray prevFirst;
        INDArray prevRest;
        INDArray hiddenHead;
        INDArray khFlat;
        INDArray tmp;
        INDArray[] zr;
        INDArray[] zGate;
        INDArray[] r;
        INDArray[] hh;
        INDArray[] diff;
        INDArray[] mt;
        INDArray[] mzr;
        INDArray[] mh;
        INDArray[] rh;
        // backward
        INDArray dyTime;
        INDArray dz;
        INDArray dzFlat;
        INDArray hPrev;
        INDArray dh;
        INDArray dhNext;
        INDArray dKernel;
        INDArray dRecurrent;
        INDArray dRecZr;
        INDArray dRecH;
        INDArray tmpZr;
        INDArray ones;
        INDArray dBias;
        INDArray dBias0;
        INDArray dBias1;
        INDArray dxFlat;
        INDArray dxTime;
        INDArray dx;
        INDArray dm;
        INDArray dmFlat;
        INDArray dzhAll;
        INDArray kh;
        INDArray kr;
        INDArray[] dzt;
        INDArray[] dyT;
        INDArray[] dzz;
        INDArray[] dzr;
        INDArray[] dzh;
        INDArray[] dzzr;
        INDArray[] dmt;
        INDArray[] dmzr;
        INDArray[] dmh;
        INDArray[] khT;
        INDArray[] krT;

        /**
         * SimpleRNN's backward calls of every step, bound on the first backward pass
         * ({@link #bindSimpleBackward}): {@code dZ_t *= dh_t}, and with sequences
         * {@code dY_t += dh'} (the gradient carried from step t + 1; null at the last step).
         */
        private BoundOp[] slope;

        private BoundOp[] carry;

        /** GRU's calls, bound on the first forward and backward pass ({@link #gruForward}, {@link #gruBackward}). */
        private GruStep[] gruSteps;

        private GruBack[] gruBacks;

        /**
         * The gradient of step {@code t}'s output: {@code dY_t} with sequences (the carried
         * gradient is added into it, {@link #carryInto}), else the seed at the last step and the
         * carried gradient before it.
         */
        private INDArray dhOf(int t) {
            if (returnSequences) {
                return dyT[t];
            }
            return t == steps - 1 ? dh : dhNext;
        }

        /** {@code dY_t += dh'} bound, with sequences before the last step; else null. */
        private BoundOp carryInto(int t) {
            return returnSequences && t < steps - 1 ? bind(BoundOp.add(dyT[t], dhNext, dyT[t])) : null;
        }

        void bindSimpleBackward() {
            if (slope != null) {
                return;
            }
            int n = (int) steps;
            BoundOp[] carried = new BoundOp[n];
            BoundOp[] sloped = new BoundOp[n];
            for (int t = 0; t < n; t++) {
                carried[t] = carryInto(t);
                sloped[t] = bind(BoundOp.multiply(dzt[t], dhOf(t), dzt[t]));
            }
            carry = carried;
            slope = sloped;
        }

        GruStep[] gruForward() {
            if (gruSteps != null) {
                return gruSteps;
            }
            boolean after = cell == Cell.GRU_RESET_AFTER;
            GruStep[] made = new GruStep[(int) steps];
            for (int t = 0; t < made.length; t++) {
                INDArray prev = t > 0 ? h[t - 1] : null;
                BoundOp reset = after
                        ? bind(BoundOp.multiply(r[t], mh[t], tmp))
                        : prev == null ? null : bind(BoundOp.multiply(r[t], prev, rh[t]));
                made[t] = new GruStep(
                        bind(BoundOp.add(zr[t], after ? mzr[t] : tmpZr, zr[t])),
                        reset,
                        bind(BoundOp.add(hh[t], tmp, hh[t])),
                        prev == null ? null : bind(BoundOp.subtract(prev, hh[t], diff[t])),
                        bind(BoundOp.multiply(zGate[t], diff[t], h[t])),
                        bind(BoundOp.add(h[t], hh[t], h[t])));
            }
            gruSteps = made;
            return made;
        }

        GruBack[] gruBackward() {
            if (gruBacks != null) {
                return gruBacks;
            }
            boolean after = cell == Cell.GRU_RESET_AFTER;
            GruBack[] made = new GruBack[(int) steps];
            for (int t = 0; t < made.length; t++) {
                INDArray dhT = dhOf(t);
                boolean handsBack = t > 0 || hasState;
                BoundOp dRecurrent = after
                        ? bind(BoundOp.multiply(dzh[t], r[t], dmh[t]))
                        : handsBack ? bind(BoundOp.multiply(tmp, r[t], tmp)) : null;
                made[t] = new GruBack(
                        carryInto(t),
                        bind(BoundOp.multiply(dhT, diff[t], dzz[t])),
                        bind(BoundOp.multiply(dhT, khT[t], dzh[t])),
                        bind(BoundOp.multiply(after ? dzh[t] : tmp, krT[t], dzr[t])),
                        dRecurrent,
                        handsBack ? bind(BoundOp.multiply(dhT, zGate[t], dhNext)) : null,
                        !after && handsBack ? bind(BoundOp.add(dhNext, tmp, dhNext)) : null);
            }
            gruBacks = made;
            return made;
        }

        Scratch(long batch, long steps, long features, boolean backward) {
            super(steps, features);
            this.batch = batch;
            long u = units;
            long k = (long) cell.gates * u;
            long rows = steps * batch;
            int n = (int) steps;
            boolean gru = cell != Cell.SIMPLE;
            xTime = alloc(steps, batch, features);
            xFlat = xTime.reshape('c', new long[] {rows, features});
            z = alloc(rows, k);
            gates = z.reshape('c', new long[] {steps, batch, k});
            hidden = gru ? alloc(steps, batch, u) : gates;
            sequence = returnSequences ? alloc(batch, steps, u) : null;
            zt = new INDArray[n];
            h = new INDArray[n];
            for (int t = 0; t < n; t++) {
                zt[t] = gates.slice(t);
                h[t] = hidden.slice(t);
            }
            if (gru) {
                zAll = cols(gates, 0, u);
                zrAll = cols(gates, 0, 2 * u);
                rAll = cols(gates, u, 2 * u);
                hhAll = cols(gates, 2 * u, 3 * u);
                INDArray d = alloc(steps, batch, u);
                diffAll = d;
                tmp = alloc(batch, u);
                zr = new INDArray[n];
                zGate = new INDArray[n];
                r = new INDArray[n];
                hh = new INDArray[n];
                diff = new INDArray[n];
                for (int t = 0; t < n; t++) {
                    zr[t] = cols(zt[t], 0, 2 * u);
                    zGate[t] = cols(zt[t], 0, u);
                    r[t] = cols(zt[t], u, 2 * u);
                    hh[t] = cols(zt[t], 2 * u, 3 * u);
                    diff[t] = d.slice(t);
                }
                if (cell == Cell.GRU_RESET_AFTER) {
                    m = alloc(steps, batch, k);
                    mFlat = m.reshape('c', new long[] {rows, k});
                    mhAll = cols(m, 2 * u, 3 * u);
                    mzrAll = cols(m, 0, 2 * u);
                    mt = new INDArray[n];
                    mzr = new INDArray[n];
                    mh = new INDArray[n];
                    for (int t = 0; t < n; t++) {
                        mt[t] = m.slice(t);
                        mzr[t] = cols(mt[t], 0, 2 * u);
                        mh[t] = cols(mt[t], 2 * u, 3 * u);
                    }
                } else {
                    tmpZr = alloc(batch, 2 * u);
                    rhAll = alloc(steps, batch, u);
                    rhFlat = rhAll.reshape('c', new long[] {rows, u});
                    rh = new INDArray[n];
                    for (int t = 0; t < n; t++) {
                        rh[t] = rhAll.slice(t);
                    }
                }
            }
            if (!backward) {
                return;
            }
            dyTime = returnSequences ? alloc(steps, batch, u) : null;
            dz = alloc(steps, batch, k);
            dzFlat = dz.reshape('c', new long[] {rows, k});
            hPrev = steps > 1
                    ? hidden.get(NDArrayIndex.interval(0, steps - 1), NDArrayIndex.all(), NDArrayIndex.all())
                            .reshape('c', new long[] {(steps - 1) * batch, u})
                    : null;
            dh = alloc(batch, u);
            dhNext = alloc(batch, u);
            dKernel = alloc(features, k);
            dRecurrent = alloc(u, k);
            if (cell == Cell.GRU) {
                dRecZr = alloc(u, 2 * u);
                dRecH = alloc(u, u);
            }
            ones = alloc(1, rows).assign(1f);
            if (cell == Cell.GRU_RESET_AFTER) {
                dBias = alloc(2, k);
                dBias0 = dBias.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all());
                dBias1 = dBias.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all());
            } else {
                dBias0 = alloc(1, k);
                dBias = dBias0.reshape('c', new long[] {k});
            }
            dxFlat = alloc(rows, features);
            dxTime = dxFlat.reshape('c', new long[] {steps, batch, features});
            dx = alloc(batch, steps, features);
            dzt = new INDArray[n];
            dyT = new INDArray[n];
            for (int t = 0; t < n; t++) {
                dzt[t] = dz.slice(t);
                dyT[t] = returnSequences ? dyTime.slice(t) : null;
            }
            if (!gru) {
                return;
            }
            dzhAll = cols(dz, 2 * u, 3 * u);
            INDArray khAll = alloc(steps, batch, u);
            INDArray krAll = alloc(steps, batch, u);
            kh = khAll;
            kr = krAll;
            khFlat = khAll.reshape('c', new long[] {rows, u});
            if (cell == Cell.GRU) {
                bulkZrFlat = alloc(rows, 2 * u);
                bulkZr = bulkZrFlat.reshape('c', new long[] {steps, batch, 2 * u});
            }
            prevFlat = alloc(rows, u);
            prevAll = prevFlat.reshape('c', new long[] {steps, batch, u});
            prevFirst = prevFlat.get(NDArrayIndex.interval(0, batch), NDArrayIndex.all());
            if (steps > 1) {
                INDArray hiddenFlat = hidden.reshape('c', new long[] {rows, u});
                prevRest = prevFlat.get(NDArrayIndex.interval(batch, rows), NDArrayIndex.all());
                hiddenHead = hiddenFlat.get(NDArrayIndex.interval(0, rows - batch), NDArrayIndex.all());
            }
            dzz = new INDArray[n];
            dzr = new INDArray[n];
            dzh = new INDArray[n];
            dzzr = new INDArray[n];
            khT = new INDArray[n];
            krT = new INDArray[n];
            for (int t = 0; t < n; t++) {
                dzz[t] = cols(dzt[t], 0, u);
                dzr[t] = cols(dzt[t], u, 2 * u);
                dzh[t] = cols(dzt[t], 2 * u, 3 * u);
                dzzr[t] = cols(dzt[t], 0, 2 * u);
                khT[t] = khAll.slice(t);
                krT[t] = krAll.slice(t);
            }
            if (cell == Cell.GRU_RESET_AFTER) {
                // dM reuses M: M is last read by the factors before the backward loop.
                dm = m;
                dmFlat = mFlat;
                dmt = mt;
                dmzr = mzr;
                dmh = mh;
            }
        }
    }
}
