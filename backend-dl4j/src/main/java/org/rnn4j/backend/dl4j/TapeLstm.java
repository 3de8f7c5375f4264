package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.LSTMLayer;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One forward LSTM layer (Keras semantics, gates i, f, c, o; sigmoid and tanh; zero initial
 * state) as a single node of a {@link TapeGraph}, forwards and backwards, in few and large ND4J
 * calls: the unrolled graph spends some 15 ND4J calls per step forwards and 30 backwards, each
 * with its own allocation, where this needs 9 and 10 into arrays it keeps.
 *
 * <p>Everything runs time-major ({@code [time, batch, ...]}, so a step is a contiguous block):
 * <ul>
 * <li>forward: the input projection of all steps is one matmul {@code Z = X.W + b}; per step
 * {@code Z_t += h'.R} (one GEMM into {@code Z_t}), then the activations in place (sigmoid of
 * i and f, tanh of c, sigmoid of o), {@code c = f*c' + i*g}, {@code tanh(c)} and
 * {@code h = o*tanh(c)}. The activated gates, the cell states and their tanh stay for backward.
 * <li>backward, per step from the last: {@code dh = dY_t + dh'}, {@code do = dh*tanh(c)},
 * {@code dc = dh*o*(1-tanh(c)^2) + dc'}, {@code di = dc*g}, {@code dg = dc*i}, {@code df = dc*c'},
 * the next {@code dc' = dc*f}, the pre-activation gradient {@code dZ_t = dA_t * act'(A_t)}
 * (the derivative factors of all steps computed in bulk first) and {@code dh' = dZ_t.R^T}.
 * Then the weight gradients of all steps at once: {@code dW = X^T.dZ},
 * {@code dR = H_{0..T-2}^T.dZ_{1..T-1}}, {@code db = sum(dZ)}, {@code dX = dZ.W^T}.
 * </ul>
 * The arrays of a pass and their per-step views are allocated once per batch size and kept by
 * this node ({@link Scratch}) until its graph is closed, or until the program trains a graph of
 * another sequence length ({@code Dl4jProgram} keeps one training graph's arrays at a time): in ND4J creating a view costs about as
 * much as a small op (3-9 microseconds, measured), and a step reads some 25 views. Every run
 * overwrites them completely before reading them. The results handed to the graph (output,
 * gradients) are these arrays too, valid until the next run, which the program's lock orders
 * after the caller has copied them.
 *
 * <p>With a state ({@code hasState}: a piece of a long sequence, see
 * {@link org.rnn4j.api.sequence.SequenceDriver}) the first step starts from the fed {@code h0} and
 * {@code c0} instead of zeros, the last {@code h} and {@code c} are outputs of their own
 * ({@link #lastH}, {@link #lastC}) whose gradients the backward pass takes as seeds, and it returns
 * the gradients of {@code h0} and {@code c0}: {@code dh0 = dZ_0.R^T}, {@code dc0 = dc_0*f_0}, and
 * {@code h0} joins the recurrent kernel's gradient. Its training runs remember and recall h and c
 * ({@link TapeRnn.Recall}): a recalled chunk computes its gates from them in five bulk ops.
 *
 * <p>A forward pass that will not be differentiated (inference) and has no state runs libnd4j's own fused
 * {@code lstmLayer} op instead: one native call for the whole sequence (its weight layout and gate
 * order are Keras's). Its gradient op {@code lstmLayer_bp} is never used: in 1.0.0-M2.1 it leaks
 * about 3.3 MB of native memory per call (batch 32, 50 steps, 50 units), which is why training
 * runs the forward and backward written here.
 */
final class TapeLstm implements AutoCloseable {

    private final int units;
    private final boolean returnSequences;
    private final boolean hasBias;
    private final boolean hasState;
    private final KeptArrays<Scratch> scratch = new KeptArrays<>();
    private final RememberedChunks remembered = new RememberedChunks();
    /** The inference op's arguments, made on first use. */
    private LayerArgs layerArgs;

    TapeLstm(int units, boolean returnSequences, boolean hasBias, boolean hasState) {
        this.units = units;
        this.returnSequences = returnSequences;
        this.hasBias = hasBias;
        this.hasState = hasState;
    }

    /** What a forward pass into the kept arrays leaves for its backward pass and state outputs. */
    record Pass(Scratch s, INDArray kernel, INDArray recurrentKernel, INDArray h0, INDArray c0) {}

    /** The last hidden state of a pass {@code [batch, units]}, a view valid until the next run. */
    static INDArray lastH(Pass p) {
        return p.s().h[(int) p.s().steps - 1];
    }

    /** The last cell state of a pass {@code [batch, units]}, a view valid until the next run. */
    static INDArray lastC(Pass p) {
        return p.s().c[(int) p.s().steps - 1];
    }

    private static void mul(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new MulOp(a, b, out));
    }

    private Scratch scratch(long batch, long steps, long features) {
        return scratch.get(batch, steps, features, () -> new Scratch(batch, steps, features));
    }

    /**
     * The inference output (fused op, into an array the run owns), or the training forward pass
     * into this node's kept arrays, with {@code saved} set for {@link #backward}.
     *
     * @param x    {@code [batch, time, features]}
     * @param bias {@code [4U]} or null
     * @param h0   the initial hidden state {@code [batch, units]} (with {@code c0}), or null for zeros
     * @return {@code [batch, time, units]} or the last step's {@code [batch, units]}
     */
    INDArray forward(
            TapeGraph.Run run,
            INDArray x,
            INDArray kernel,
            INDArray recurrentKernel,
            INDArray bias,
            INDArray h0,
            INDArray c0,
            boolean keepForBackward,
            TapeRnn.Recall recall,
            Pass[] saved) {
        if (!keepForBackward && !hasState) {
            return fusedInference(run, x, kernel, recurrentKernel, bias);
        }
        Scratch s = scratch(x.size(0), x.size(1), x.size(2));
        saved[0] = new Pass(s, kernel, recurrentKernel, h0, c0);
        s.xTime.assign(x.permute(1, 0, 2));
        Nd4j.gemm(s.xFlat, kernel, s.z, false, false, 1.0, 0.0);
        if (bias != null) {
            s.z.addiRowVector(bias);
        }
        INDArray[] inputs = {x, h0, c0};
        INDArray[] weights = {kernel, recurrentKernel, bias};
        INDArray[] known = hasState && recall == TapeRnn.Recall.RECALL ? remembered.take(inputs, weights) : null;
        if (known != null) {
            try {
                bulk(s, recurrentKernel, h0, known[0], known[1]);
            } finally {
                RememberedChunks.free(known);
            }
        } else {
            loop(s, recurrentKernel, h0, c0);
        }
        if (hasState && recall == TapeRnn.Recall.REMEMBER) {
            remembered.remember(inputs, weights, new INDArray[] {s.hidden, s.cells});
        }
        if (returnSequences) {
            s.sequence.assign(s.hidden.permute(1, 0, 2));
            return s.sequence;
        }
        return s.h[(int) s.steps - 1];
    }

    /**
     * The gates of all steps from known hidden and cell states {@code [time, batch, units]} (a
     * recalled chunk): the loop's equations, each op over the whole chunk.
     */
    private static void bulk(Scratch s, INDArray recurrentKernel, INDArray h0, INDArray hidden, INDArray cells) {
        s.hidden.assign(hidden);
        s.cells.assign(cells);
        if (h0 != null) {
            s.prevFirst.assign(h0);
        } else {
            s.prevFirst.assign(0);
        }
        if (s.steps > 1) {
            s.prevRest.assign(s.hiddenHead);
        }
        Nd4j.gemm(s.prevFlat, recurrentKernel, s.z, false, false, 1.0, 1.0);
        Nd4j.getExecutioner().exec(new Sigmoid(s.iAndFAll, s.iAndFAll));
        Nd4j.getExecutioner().exec(new Tanh(s.gAll, s.gAll));
        Nd4j.getExecutioner().exec(new Sigmoid(s.oAll, s.oAll));
        Nd4j.getExecutioner().exec(new Tanh(s.cells, s.tanhCells));
    }

    /** The steps one after the other (the gates of step t need h_{t-1}). */
    private static void loop(Scratch s, INDArray recurrentKernel, INDArray h0, INDArray c0) {
        for (int t = 0; t < s.steps; t++) {
            if (t > 0) {
                Nd4j.gemm(s.h[t - 1], recurrentKernel, s.zt[t], false, false, 1.0, 1.0);
            } else if (h0 != null) {
                Nd4j.gemm(h0, recurrentKernel, s.zt[t], false, false, 1.0, 1.0);
            }
            Nd4j.getExecutioner().exec(new Sigmoid(s.iAndF[t], s.iAndF[t]));
            Nd4j.getExecutioner().exec(new Tanh(s.gate[t][2], s.gate[t][2]));
            Nd4j.getExecutioner().exec(new Sigmoid(s.gate[t][3], s.gate[t][3]));
            if (t == 0 && c0 == null) {
                mul(s.gate[t][0], s.gate[t][2], s.c[t]);
            } else {
                mul(s.gate[t][1], t == 0 ? c0 : s.c[t - 1], s.c[t]);
                mul(s.gate[t][0], s.gate[t][2], s.ig);
                s.c[t].addi(s.ig);
            }
            Nd4j.getExecutioner().exec(new Tanh(s.c[t], s.tc[t]));
            mul(s.gate[t][3], s.tc[t], s.h[t]);
        }
    }

    /** libnd4j's {@code lstmLayer}, batch-major ({@code NTS}), zero initial state. */
    private INDArray fusedInference(
            TapeGraph.Run run, INDArray x, INDArray kernel, INDArray recurrentKernel, INDArray bias) {
        long batch = x.size(0);
        INDArray out = run.own(
                returnSequences
                        ? Nd4j.createUninitialized(DataType.FLOAT, batch, x.size(1), units)
                        : Nd4j.createUninitialized(DataType.FLOAT, batch, units));
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("lstmLayer")
                .addIntegerArguments(layerArgs().ints())
                .addBooleanArguments(layerArgs().booleans())
                .addFloatingPointArguments(layerArgs().doubles())
                .addOutputs(out);
        op.addInputs(
                bias == null
                        ? new INDArray[] {x, kernel, recurrentKernel}
                        : new INDArray[] {x, kernel, recurrentKernel, bias});
        Nd4j.exec(op.build());
        return out;
    }

    /** The integer, boolean and float arguments of the {@code lstmLayer} op for this layer. */
    private record LayerArgs(int[] ints, boolean[] booleans, Double[] doubles) {}

    /**
     * Worked out once per node from the op's config: the op's INDArray constructor files its inputs
     * as outputs in 1.0.0-M2.1, so it only supplies these arguments (they depend on the config and
     * on whether there is a bias, both fixed for a node); the arrays go in per call.
     */
    private LayerArgs layerArgs() {
        if (layerArgs == null) {
            LSTMLayerConfig config = LSTMLayerConfig.builder()
                    .lstmdataformat(LSTMDataFormat.NTS)
                    .directionMode(LSTMDirectionMode.FWD)
                    .gateAct(LSTMActivations.SIGMOID)
                    .cellAct(LSTMActivations.TANH)
                    .outAct(LSTMActivations.TANH)
                    .retFullSequence(returnSequences)
                    .retLastH(!returnSequences)
                    .retLastC(false)
                    .build();
            // A stand-in for every array: only the op's argument lists are read, never its inputs.
            INDArray x = Nd4j.empty(DataType.FLOAT);
            LSTMLayerWeights.LSTMLayerWeightsBuilder w =
                    LSTMLayerWeights.builder().iWeights(x).irWeights(x);
            if (hasBias) {
                w.iBias(x);
            }
            LSTMLayer op = new LSTMLayer(x, null, null, null, w.build(), config);
            layerArgs = new LayerArgs(
                    Arrays.stream(op.iArgs()).mapToInt(Math::toIntExact).toArray(),
                    op.bArgs(),
                    Arrays.stream(op.tArgs()).boxed().toArray(Double[]::new));
        }
        return layerArgs;
    }

    /**
     * @param dy     the gradient of the output ({@code [batch, time, units]} or {@code [batch, units]}),
     *               or null when only the last states are differentiated
     * @param dhLast the gradient of {@link #lastH} as an output of its own, or null
     * @param dcLast the gradient of {@link #lastC}, or null
     * @param wantsX whether to compute the input's gradient
     * @return gradients of x (or null), kernel, recurrent kernel, bias (when there is one), and h0 and c0
     *         (when the layer has a state), in input order
     */
    INDArray[] backward(Pass pass, INDArray dy, INDArray dhLast, INDArray dcLast, boolean wantsX) {
        Scratch s = pass.s();
        int steps = (int) s.steps;
        // act'(A): s*(1-s) for the sigmoid gates, 1-g^2 for the tanh gate, for all steps at once.
        s.gates.rsub(1f, s.deriv).muli(s.gates);
        s.gAll.mul(s.gAll, s.tmp).rsubi(1f);
        s.derivG.assign(s.tmp);
        // o*(1-tanh(c)^2), all steps
        s.tanhCells.mul(s.tanhCells, s.k).rsubi(1f).muli(s.oAll);
        if (returnSequences) {
            if (dy == null) {
                s.dyTime.assign(0);
            } else {
                s.dyTime.assign(dy.permute(1, 0, 2));
            }
        }
        INDArray c0 = pass.c0();
        for (int t = steps - 1; t >= 0; t--) {
            if (returnSequences) {
                if (t == steps - 1) {
                    s.dh.assign(s.dyT[t]);
                } else {
                    s.dyT[t].add(s.dhNext, s.dh);
                }
            } else if (t == steps - 1) {
                if (dy == null) {
                    s.dh.assign(0);
                } else {
                    s.dh.assign(dy);
                }
            } else {
                s.dh.assign(s.dhNext);
            }
            if (t == steps - 1 && dhLast != null) {
                s.dh.addi(dhLast);
            }
            INDArray[] a = s.gate[t];
            INDArray[] d = s.dGate[t];
            mul(s.dh, s.tc[t], d[3]);
            mul(s.dh, s.kT[t], s.dc);
            if (t < steps - 1) {
                s.dc.addi(s.dcNext);
            } else if (dcLast != null) {
                s.dc.addi(dcLast);
            }
            mul(s.dc, a[2], d[0]);
            mul(s.dc, a[0], d[2]);
            if (t > 0 || c0 != null) {
                mul(s.dc, t > 0 ? s.c[t - 1] : c0, d[1]);
                mul(s.dc, a[1], s.dcNext);
            } else {
                d[1].assign(0);
            }
            s.dzt[t].muli(s.derivT[t]);
            if (t > 0 || hasState) {
                Nd4j.gemm(s.dzt[t], pass.recurrentKernel(), s.dhNext, false, true, 1.0, 0.0);
            }
        }
        Nd4j.gemm(s.xFlat, s.dzFlat, s.dKernel, true, false, 1.0, 0.0);
        if (steps > 1) {
            Nd4j.gemm(s.hPrev, s.dzRest, s.dRecurrent, true, false, 1.0, 0.0);
        } else {
            s.dRecurrent.assign(0);
        }
        if (pass.h0() != null) {
            Nd4j.gemm(pass.h0(), s.dzt[0], s.dRecurrent, true, false, 1.0, 1.0);
        }
        INDArray dBias = null;
        if (hasBias) {
            Nd4j.gemm(s.ones, s.dzFlat, s.dBias, false, false, 1.0, 0.0);
            dBias = s.dBiasFlat;
        }
        INDArray dx = null;
        if (wantsX) {
            Nd4j.gemm(s.dzFlat, pass.kernel(), s.dxFlat, false, true, 1.0, 0.0);
            s.dx.assign(s.dxTime.permute(1, 0, 2));
            dx = s.dx;
        }
        List<INDArray> out = new ArrayList<>(java.util.Arrays.asList(dx, s.dKernel, s.dRecurrent));
        if (hasBias) {
            out.add(dBias);
        }
        if (hasState) {
            // After the loop dhNext holds dZ_0.R^T and dcNext dc_0*f_0: the gradients of h0 and c0.
            if (c0 == null) {
                s.dcNext.assign(0);
            }
            out.add(s.dhNext);
            out.add(s.dcNext);
        }
        return out.toArray(new INDArray[0]);
    }

    /** Bytes of the arrays kept for all batch sizes and of the remembered chunks. */
    long keptBytes() {
        return scratch.bytes() + remembered.bytes();
    }

    /** How many chunks a forward pass recalled ({@link TapeRnn.Recall}) instead of running their loop. */
    long recalled() {
        return remembered.recalled();
    }

    /** Frees every kept array and the remembered chunks. */
    @Override
    public void close() {
        scratch.close();
        remembered.close();
    }

    /** The arrays of one batch size, and their per-step views. */
    private final class Scratch extends KeptArrays.Arrays {

        final INDArray xTime;
        final INDArray xFlat;
        final INDArray z;
        final INDArray gates;
        final INDArray gAll;
        final INDArray oAll;
        final INDArray iAndFAll;
        final INDArray prevFlat;
        final INDArray prevFirst;
        final INDArray prevRest;
        final INDArray hiddenHead;
        final INDArray cells;
        final INDArray tanhCells;
        final INDArray hidden;
        final INDArray ig;
        final INDArray sequence;
        final INDArray deriv;
        final INDArray derivG;
        final INDArray tmp;
        final INDArray k;
        final INDArray dyTime;
        final INDArray dz;
        final INDArray dzFlat;
        final INDArray dzRest;
        final INDArray hPrev;
        final INDArray dh;
        final INDArray dhNext;
        final INDArray dc;
        final INDArray dcNext;
        final INDArray dKernel;
        final INDArray dRecurrent;
        final INDArray ones;
        final INDArray dBias;
        final INDArray dBiasFlat;
        final INDArray dxFlat;
        final INDArray dxTime;
        final INDArray dx;
        final INDArray[] zt;
        final INDArray[] iAndF;
        final INDArray[][] gate;
        final INDArray[] c;
        final INDArray[] tc;
        final INDArray[] h;
        final INDArray[] dzt;
        final INDArray[][] dGate;
        final INDArray[] derivT;
        final INDArray[] kT;
        final INDArray[] dyT;

        Scratch(long batch, long steps, long features) {
            super(steps, features);
            long u = units;
            long rows = steps * batch;
            xTime = alloc(steps, batch, features);
            xFlat = xTime.reshape('c', new long[] {rows, features});
            z = alloc(rows, 4 * u);
            gates = z.reshape('c', new long[] {steps, batch, 4 * u});
            gAll = gates.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2 * u, 3 * u));
            oAll = gates.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3 * u, 4 * u));
            cells = alloc(steps, batch, u);
            tanhCells = alloc(steps, batch, u);
            hidden = alloc(steps, batch, u);
            iAndFAll = gates.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 2 * u));
            prevFlat = alloc(rows, u);
            prevFirst = prevFlat.get(NDArrayIndex.interval(0, batch), NDArrayIndex.all());
            prevRest = steps > 1 ? prevFlat.get(NDArrayIndex.interval(batch, rows), NDArrayIndex.all()) : null;
            hiddenHead = steps > 1
                    ? hidden.reshape('c', new long[] {rows, u})
                            .get(NDArrayIndex.interval(0, rows - batch), NDArrayIndex.all())
                    : null;
            ig = alloc(batch, u);
            sequence = returnSequences ? alloc(batch, steps, u) : null;
            deriv = alloc(steps, batch, 4 * u);
            derivG = deriv.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2 * u, 3 * u));
            tmp = alloc(steps, batch, u);
            k = alloc(steps, batch, u);
            dyTime = returnSequences ? alloc(steps, batch, u) : null;
            dz = alloc(steps, batch, 4 * u);
            dzFlat = dz.reshape('c', new long[] {rows, 4 * u});
            dzRest = steps > 1
                    ? dz.get(NDArrayIndex.interval(1, steps), NDArrayIndex.all(), NDArrayIndex.all())
                            .reshape('c', new long[] {(steps - 1) * batch, 4 * u})
                    : null;
            hPrev = steps > 1
                    ? hidden.get(NDArrayIndex.interval(0, steps - 1), NDArrayIndex.all(), NDArrayIndex.all())
                            .reshape('c', new long[] {(steps - 1) * batch, u})
                    : null;
            dh = alloc(batch, u);
            dhNext = alloc(batch, u);
            dc = alloc(batch, u);
            dcNext = alloc(batch, u);
            dKernel = alloc(features, 4 * u);
            dRecurrent = alloc(u, 4 * u);
            ones = alloc(1, rows).assign(1f);
            dBias = alloc(1, 4 * u);
            dBiasFlat = dBias.reshape('c', new long[] {4 * u});
            dxFlat = alloc(rows, features);
            dxTime = dxFlat.reshape('c', new long[] {steps, batch, features});
            dx = alloc(batch, steps, features);
            int n = (int) steps;
            zt = new INDArray[n];
            iAndF = new INDArray[n];
            gate = new INDArray[n][];
            c = new INDArray[n];
            tc = new INDArray[n];
            h = new INDArray[n];
            dzt = new INDArray[n];
            dGate = new INDArray[n][];
            derivT = new INDArray[n];
            kT = new INDArray[n];
            dyT = new INDArray[n];
            for (int t = 0; t < n; t++) {
                zt[t] = gates.slice(t);
                iAndF[t] = zt[t].get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2 * u));
                gate[t] = blocks(zt[t]);
                c[t] = cells.slice(t);
                tc[t] = tanhCells.slice(t);
                h[t] = hidden.slice(t);
                dzt[t] = dz.slice(t);
                dGate[t] = blocks(dzt[t]);
                derivT[t] = deriv.slice(t);
                kT[t] = k.slice(t);
                dyT[t] = returnSequences ? dyTime.slice(t) : null;
            }
        }

        private INDArray[] blocks(INDArray step) {
            INDArray[] out = new INDArray[4];
            for (int g = 0; g < 4; g++) {
                out[g] = step.get(NDArrayIndex.all(), NDArrayIndex.interval((long) g * units, (long) (g + 1) * units));
            }
            return out;
        }
    }
}
