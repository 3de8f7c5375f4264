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
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One forward LSTM layer (Keras semantics, gates i, f, c, o; sigmoid and tanh; a zero initial
 * state unless one is fed) as a single node of a {@link TapeGraph}, forwards and backwards, in few
 * and large ND4J calls into arrays it keeps: one GEMM and 8 element-wise calls a step forwards,
 * two GEMMs and 16 element-wise calls backwards, each on a contiguous block.
 *
 * <p><b>Feature-major steps.</b> A step's arrays are {@code [features, batch]}: the step's input
 * and previous hidden state are the rows of one {@code XH_t = [x_t; 1; h_{t-1}]}
 * ({@code [F + 1 + U, batch]}, the row of ones only with a bias), its pre-activations
 * {@code Z_t = WR^T.XH_t} ({@code [4U, batch]}, {@code WR = [W; b; R]} copied once a pass), so
 * each gate is a block of rows and every element-wise op runs on a contiguous array. libnd4j runs
 * an op on a strided view (a gate's columns of a batch-major {@code [batch, 4U]} step) several
 * times slower than on a contiguous one (a {@code [64, 256]} multiply 35-85 against 7-27
 * microseconds), and OpenBLAS runs {@code [4U, K] x [K, batch]} faster than
 * {@code [batch, K] x [K, 4U]} at these shapes (a W2 step's products 281-477 against 358-558
 * microseconds; 100 steps forwards and backwards of W2's layer, batch 32: 110-137 ms against
 * 117-165; scratch programs on this machine, 2026-12-06).
 * <ul>
 * <li>forward, per step: {@code Z_t = WR^T.XH_t} (the bias through the row of ones), sigmoid of
 * i and f (adjacent rows, one call), tanh of g, sigmoid of o, {@code c = f*c' + i*g},
 * {@code tanh(c)}, and {@code h = o*tanh(c)} written straight into the next step's
 * {@code XH_{t+1}}. The input enters all steps' {@code XH} in one copy, the output leaves in one.
 * <li>backward, per step from the last: {@code dh} is {@code XH}'s gradient rows of the next step
 * (the output's gradient copied in before the loop), {@code dZ_o = dh*tanh(c)*o(1-o)},
 * {@code dc = dh*o*(1-tanh(c)^2) + dc'}, {@code dZ_i = dc*g*i(1-i)}, {@code dZ_g = dc*i*(1-g^2)},
 * {@code dZ_f = dc*c'*f(1-f)}, the next {@code dc' = dc*f}; then {@code dXH_t += WR.dZ_t} (the
 * input's gradient and the previous step's {@code dh}) and {@code dWR += XH_t.dZ_t^T} (the
 * kernel's, the bias's and the recurrent kernel's gradients together).
 * </ul>
 * The arrays of a pass and their per-step views are allocated once per batch size and kept by
 * this node ({@link Scratch}) until its graph is closed, or until the program trains a graph of
 * another sequence length ({@code Dl4jProgram} keeps one training graph's arrays at a time): in ND4J creating a view costs about as
 * much as a small op (3-9 microseconds, measured), and a step reads some 25 views. So are each
 * step's element-wise products and sums, bound to their arrays once ({@link ForwardOps},
 * {@link BackwardOps}, {@link BoundOp}; the backward ones on the first backward pass): 20 a step (4 forwards, 16 backwards), which ND4J would otherwise set up anew on every call. Every run
 * overwrites what it reads, except the row of ones, written when the arrays are made. The results handed to the graph (output, gradients) are these arrays
 * too, valid until the next run, which the program's lock orders after the caller has copied them.
 *
 * <p>With a state ({@code hasState}: a piece of a long sequence, see
 * {@link org.rnn4j.api.sequence.SequenceDriver}) the first step starts from the fed {@code h0} and
 * {@code c0} instead of zeros, the last {@code h} and {@code c} are outputs of their own
 * ({@link #lastH}, {@link #lastC}) whose gradients the backward pass takes as seeds, and it returns
 * the gradients of {@code h0} and {@code c0}: {@code dh0 = R.dZ_0}, {@code dc0 = dc_0*f_0}
 * ({@code h0} is in {@code XH_0}, so it joins the recurrent kernel's gradient). Its training runs
 * remember and recall h and c ({@link TapeRnn.Recall}): a recalled chunk computes its gates from
 * them without the cell's element-wise recurrence. A pass that is not differentiated (a stream
 * step) multiplies by the kernels as they are instead of copying them into {@code WR}: such a
 * pass is often one step long.
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
    record Pass(Scratch s, boolean hasC0) {}

    /** The last hidden state of a pass {@code [batch, units]}, valid until the next run. */
    static INDArray lastH(Pass p) {
        Scratch s = p.s();
        if (s.rowH != null) {
            return s.rowH[(int) s.steps];
        }
        return s.lastH.assign(s.hT[(int) s.steps].transpose());
    }

    /** The last cell state of a pass {@code [batch, units]}, valid until the next run. */
    static INDArray lastC(Pass p) {
        Scratch s = p.s();
        if (s.rowH != null) {
            return s.rowC;
        }
        return s.lastC.assign(s.c[(int) s.steps - 1].transpose());
    }

    private static void sigmoid(INDArray a) {
        Nd4j.getExecutioner().exec(new Sigmoid(a, a));
    }

    private static void tanh(INDArray a, INDArray out) {
        Nd4j.getExecutioner().exec(new Tanh(a, out));
    }

    private Scratch scratch(long batch, long steps, long features) {
        return scratch.get(batch, steps, features, () -> new Scratch(batch, steps, features));
    }

    /**
     * The inference output (fused op, into an array the run owns), or the forward pass into this
     * node's kept arrays, with {@code saved} set for {@link #backward} and the state outputs.
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
        saved[0] = new Pass(s, c0 != null);
        Step step;
        if (keepForBackward) {
            s.wrX.assign(kernel);
            if (hasBias) {
                s.wrB.assign(bias.reshape(1, bias.length()));
            }
            s.wrR.assign(recurrentKernel);
            s.wrT.assign(s.wr.transpose());
            step = t -> Nd4j.gemm(s.wrT, s.xh[t], s.zt[t], false, false, 1.0, 0.0);
        } else if (s.rowH != null) {
            step = t -> {
                Nd4j.gemm(s.rowX[t], kernel, s.rowZ[t], false, false, 1.0, 0.0);
                Nd4j.gemm(s.rowH[t], recurrentKernel, s.rowZ[t], false, false, 1.0, 1.0);
                if (bias != null) {
                    s.rowZ[t].addiRowVector(bias);
                }
            };
        } else {
            INDArray b = bias == null ? null : bias.reshape(bias.length(), 1);
            step = t -> {
                Nd4j.gemm(kernel, s.xRows[t], s.zt[t], true, false, 1.0, 0.0);
                Nd4j.gemm(recurrentKernel, s.hT[t], s.zt[t], true, false, 1.0, 1.0);
                if (b != null) {
                    s.zt[t].addiColumnVector(b);
                }
            };
        }
        s.xAll.assign(x.permute(1, 2, 0));
        if (h0 != null) {
            s.hT[0].assign(s.rowH != null ? h0.reshape(s.hT[0].shape()) : h0.transpose());
        } else {
            s.hT[0].assign(0);
        }
        if (c0 != null) {
            s.c0T.assign(s.rowH != null ? c0.reshape(s.c0T.shape()) : c0.transpose());
        }
        INDArray[] inputs = {x, h0, c0};
        INDArray[] weights = {kernel, recurrentKernel, bias};
        INDArray[] known = hasState && recall == TapeRnn.Recall.RECALL ? remembered.take(inputs, weights) : null;
        if (known != null) {
            try {
                bulk(s, step, known[0], known[1]);
            } finally {
                RememberedChunks.free(known);
            }
        } else {
            loop(s, step, c0 != null);
        }
        if (hasState && recall == TapeRnn.Recall.REMEMBER) {
            remembered.remember(inputs, weights, new INDArray[] {s.hiddenAll, s.cells});
        }
        if (returnSequences) {
            return s.sequence.assign(s.hiddenAll.permute(2, 0, 1));
        }
        return lastH(saved[0]);
    }

    /** One step's pre-activations {@code Z_t} from {@code XH_t}. */
    @FunctionalInterface
    private interface Step {
        void project(int t);
    }

    /**
     * The gates of all steps from known hidden and cell states {@code [time, units, batch]} (a
     * recalled chunk): each step's product and activations, none of the cell's recurrence.
     */
    private static void bulk(Scratch s, Step step, INDArray hidden, INDArray cells) {
        s.hiddenAll.assign(hidden);
        s.cells.assign(cells);
        for (int t = 0; t < s.steps; t++) {
            activate(s, step, t);
        }
        tanh(s.cells, s.tanhCells);
    }

    /** Step t's gates: its product, then sigmoid of i and f (adjacent rows), tanh of g, sigmoid of o. */
    private static void activate(Scratch s, Step step, int t) {
        step.project(t);
        sigmoid(s.iAndF[t]);
        tanh(s.gate[t][2], s.gate[t][2]);
        sigmoid(s.gate[t][3]);
    }

    /** The steps one after the other (the gates of step t need h_{t-1}). */
    private static void loop(Scratch s, Step step, boolean hasC0) {
        for (int t = 0; t < s.steps; t++) {
            activate(s, step, t);
            ForwardOps o = s.forward[t];
            if (t == 0 && !hasC0) {
                s.firstCell.run();
            } else {
                o.forget.run();
                o.input.run();
                o.cell.run();
            }
            tanh(s.c[t], s.tc[t]);
            o.hidden.run();
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
        boolean hasC0 = pass.hasC0();
        // 1 - tanh(c)^2, all steps
        s.tanhCells.mul(s.tanhCells, s.k).rsubi(1f);
        // XH's gradient: the output's gradient in the h rows of steps 1..T, zeros elsewhere
        s.dxhAll.assign(0);
        if (dy != null) {
            if (returnSequences) {
                s.dhAll.assign(dy.permute(1, 2, 0));
            } else {
                s.dhT[steps].assign(dy.transpose());
            }
        }
        if (dhLast != null) {
            s.dhT[steps].addi(dhLast.transpose());
        }
        if (dcLast != null) {
            s.dcNext.assign(dcLast.transpose());
        }
        INDArray[] d = s.dGate;
        SharedBackwardOps shared = s.backwardOps();
        for (int t = steps - 1; t >= 0; t--) {
            BackwardOps o = s.backward[t];
            // dZ = a*(1-a) for all four gates (the tanh gate's is replaced below)
            o.oneMinusGates.run();
            o.gateSlope.run();
            // dZ_o = dh*tanh(c)*o(1-o); dc = dh*o*(1-tanh(c)^2) + dc'
            o.dOutput.run();
            o.dOutputTanh.run();
            o.dCell.run();
            o.dCellTanh.run();
            if (t < steps - 1 || dcLast != null) {
                shared.dcCarry.run();
            }
            // dZ_i = dc*g*i(1-i); dZ_g = dc*i*(1-g^2)
            shared.dInputCell.run();
            o.dInput.run();
            o.gSquared.run();
            shared.oneMinusGSquared.run();
            shared.dCandidateCell.run();
            o.dCandidate.run();
            if (t > 0 || hasC0) {
                // dZ_f = dc*c'*f(1-f); the previous step's dc' = dc*f
                shared.dForgetCell.run();
                o.dForget.run();
                o.dcPrevious.run();
            } else {
                d[1].assign(0);
            }
            if (wantsX) {
                Nd4j.gemm(s.wr, s.dz, s.dxh[t], false, false, 1.0, 1.0);
            } else if (t > 0 || hasState) {
                Nd4j.gemm(s.wrR, s.dz, s.dhT[t], false, false, 1.0, 1.0);
            }
            Nd4j.gemm(s.xh[t], s.dz, s.dwr, false, true, 1.0, t == steps - 1 ? 0.0 : 1.0);
        }
        INDArray dx = null;
        if (wantsX) {
            dx = s.dx.assign(s.dxAll.permute(2, 0, 1));
        }
        List<INDArray> out = new ArrayList<>(Arrays.asList(dx, s.dKernel, s.dRecurrent));
        if (hasBias) {
            out.add(s.dBias);
        }
        if (hasState) {
            // dXH_0's h rows hold R.dZ_0, and dcNext dc_0*f_0: the gradients of h0 and c0.
            out.add(s.dh0.assign(s.dhT[0].transpose()));
            if (hasC0) {
                out.add(s.dc0.assign(s.dcNext.transpose()));
            } else {
                out.add(s.dc0.assign(0));
            }
        }
        return out.toArray(new INDArray[0]);
    }

    /** Bytes of the arrays kept for all batch sizes and of the remembered chunks. */
    long keptBytes() {
        return scratch.bytes() + remembered.bytes();
    }

    /** Ops bound to the kept arrays ({@link BoundOp}), for tests. */
    long boundOps() {
        return scratch.boundOps();
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

    /** The arrays of one batch size, and their per-step views ({@code [rows, batch]} each). */
    private final class Scratch extends KeptArrays.Arrays {

        /** {@code [W; b; R]} {@code [K, 4U]}, its row blocks, and its transpose {@code [4U, K]}. */
        final INDArray wr;

        final INDArray wrX;
        final INDArray wrB;
        final INDArray wrR;
        final INDArray wrT;
        /** {@code XH} of steps 0..T {@code [T + 1, K, batch]}: x_t, a row of ones with a bias, h_{t-1}. */
        final INDArray xhAll;
        /** The x rows of steps 0..T-1 {@code [T, F, batch]}. */
        final INDArray xAll;
        /** The h rows of steps 1..T, that is h_0..h_{T-1} {@code [T, U, batch]}. */
        final INDArray hiddenAll;

        final INDArray gates;
        final INDArray cells;
        final INDArray tanhCells;
        final INDArray k;
        final INDArray c0T;
        final INDArray ig;
        final INDArray sequence;
        /** The last h and c batch-major (the output without sequences is {@link #lastH} too). */
        final INDArray lastH;

        final INDArray lastC;
        final INDArray dxhAll;
        /** The gradient of the h rows of steps 1..T {@code [T, U, batch]}. */
        final INDArray dhAll;
        /** The gradient of the x rows of steps 0..T-1 {@code [T, F, batch]}. */
        final INDArray dxAll;

        final INDArray dz;
        final INDArray dc;
        final INDArray dcNext;
        final INDArray dwr;
        final INDArray dKernel;
        final INDArray dRecurrent;
        final INDArray dBias;
        final INDArray dx;
        final INDArray dh0;
        final INDArray dc0;
        final INDArray[] dGate;
        final INDArray[] xh;
        final INDArray[] xRows;
        final INDArray[] hT;
        final INDArray[] zt;
        final INDArray[] iAndF;
        final INDArray[][] gate;
        final INDArray[] c;
        final INDArray[] tc;
        final INDArray[] kT;
        final INDArray[] dxh;
        final INDArray[] dhT;
        /** Each step's forward products and sums, bound to its arrays ({@link ForwardOps}). */
        final ForwardOps[] forward;
        /** {@code c_0 = i*g}: step 0's cell without a fed {@code c0}. */
        final BoundOp firstCell;
        /**
         * Each step's backward ops ({@link BackwardOps}) and those on the arrays every step shares:
         * bound on the first backward pass, since passes that are not differentiated (stream steps,
         * pieces of a prediction) never run them.
         */
        private BackwardOps[] backward;

        private SharedBackwardOps sharedBackward;
        /**
         * At batch 1 only (else null): the x, h and Z columns of each step as rows {@code [1, n]},
         * views of the same memory, and the last cell state as a row.
         */
        final INDArray[] rowX;

        final INDArray[] rowH;
        final INDArray[] rowZ;
        final INDArray rowC;

        Scratch(long batch, long steps, long features) {
            super(steps, features);
            long u = units;
            long off = features + (hasBias ? 1 : 0);
            long rows = off + u;
            wr = alloc(rows, 4 * u);
            wrX = wr.get(NDArrayIndex.interval(0, features), NDArrayIndex.all());
            wrB = hasBias ? wr.get(NDArrayIndex.interval(features, off), NDArrayIndex.all()) : null;
            wrR = wr.get(NDArrayIndex.interval(off, rows), NDArrayIndex.all());
            wrT = alloc(4 * u, rows);
            xhAll = alloc(steps + 1, rows, batch);
            if (hasBias) {
                xhAll.get(NDArrayIndex.all(), NDArrayIndex.interval(features, off), NDArrayIndex.all())
                        .assign(1);
            }
            xAll = xhAll.get(NDArrayIndex.interval(0, steps), NDArrayIndex.interval(0, features), NDArrayIndex.all());
            hiddenAll = xhAll.get(
                    NDArrayIndex.interval(1, steps + 1), NDArrayIndex.interval(off, rows), NDArrayIndex.all());
            gates = alloc(steps, 4 * u, batch);
            cells = alloc(steps, u, batch);
            tanhCells = alloc(steps, u, batch);
            k = alloc(steps, u, batch);
            c0T = alloc(u, batch);
            ig = alloc(u, batch);
            sequence = returnSequences ? alloc(batch, steps, u) : null;
            lastH = alloc(batch, u);
            lastC = alloc(batch, u);
            dxhAll = alloc(steps + 1, rows, batch);
            dhAll = dxhAll.get(
                    NDArrayIndex.interval(1, steps + 1), NDArrayIndex.interval(off, rows), NDArrayIndex.all());
            dxAll = dxhAll.get(NDArrayIndex.interval(0, steps), NDArrayIndex.interval(0, features), NDArrayIndex.all());
            dz = alloc(4 * u, batch);
            dGate = blocks(dz);
            dc = alloc(u, batch);
            dcNext = alloc(u, batch);
            dwr = alloc(rows, 4 * u);
            dKernel = dwr.get(NDArrayIndex.interval(0, features), NDArrayIndex.all());
            dBias = hasBias
                    ? dwr.get(NDArrayIndex.interval(features, off), NDArrayIndex.all())
                            .reshape('c', true, 4 * u)
                    : null;
            dRecurrent = dwr.get(NDArrayIndex.interval(off, rows), NDArrayIndex.all());
            dx = alloc(batch, steps, features);
            dh0 = alloc(batch, u);
            dc0 = alloc(batch, u);
            int n = (int) steps;
            xh = new INDArray[n + 1];
            xRows = new INDArray[n];
            hT = new INDArray[n + 1];
            dxh = new INDArray[n + 1];
            dhT = new INDArray[n + 1];
            zt = new INDArray[n];
            iAndF = new INDArray[n];
            gate = new INDArray[n][];
            c = new INDArray[n];
            tc = new INDArray[n];
            kT = new INDArray[n];
            for (int t = 0; t <= n; t++) {
                xh[t] = xhAll.slice(t);
                hT[t] = xh[t].get(NDArrayIndex.interval(off, rows), NDArrayIndex.all());
                dxh[t] = dxhAll.slice(t);
                dhT[t] = dxh[t].get(NDArrayIndex.interval(off, rows), NDArrayIndex.all());
            }
            for (int t = 0; t < n; t++) {
                xRows[t] = xh[t].get(NDArrayIndex.interval(0, features), NDArrayIndex.all());
                zt[t] = gates.slice(t);
                iAndF[t] = zt[t].get(NDArrayIndex.interval(0, 2 * u), NDArrayIndex.all());
                gate[t] = blocks(zt[t]);
                c[t] = cells.slice(t);
                tc[t] = tanhCells.slice(t);
                kT[t] = k.slice(t);
            }
            forward = new ForwardOps[n];
            for (int t = 0; t < n; t++) {
                forward[t] = new ForwardOps(this, t);
            }
            firstCell = bind(BoundOp.multiply(gate[0][0], gate[0][2], c[0]));
            if (batch == 1) {
                rowX = new INDArray[n];
                rowH = new INDArray[n + 1];
                rowZ = new INDArray[n];
                for (int t = 0; t <= n; t++) {
                    rowH[t] = row(hT[t]);
                    if (t < n) {
                        rowX[t] = row(xRows[t]);
                        rowZ[t] = row(zt[t]);
                    }
                }
                rowC = row(c[n - 1]);
            } else {
                rowX = null;
                rowH = null;
                rowZ = null;
                rowC = null;
            }
        }

        /** The shared backward ops, binding them and every step's on the first call. */
        SharedBackwardOps backwardOps() {
            if (sharedBackward == null) {
                BackwardOps[] made = new BackwardOps[(int) steps];
                for (int t = 0; t < made.length; t++) {
                    made[t] = new BackwardOps(this, t);
                }
                backward = made;
                sharedBackward = new SharedBackwardOps(this);
            }
            return sharedBackward;
        }

        /** A contiguous {@code [n, 1]} column as a {@code [1, n]} row on the same memory (ND4J throws rather than copy). */
        private static INDArray row(INDArray column) {
            return column.reshape('c', true, 1, column.length());
        }

        /** The four gates' row blocks of a {@code [4U, batch]} step. */
        private INDArray[] blocks(INDArray step) {
            INDArray[] out = new INDArray[4];
            for (int g = 0; g < 4; g++) {
                out[g] = step.get(NDArrayIndex.interval((long) g * units, (long) (g + 1) * units), NDArrayIndex.all());
            }
            return out;
        }
    }

    /**
     * Step t's forward products and sums, bound once to the step's arrays ({@link BoundOp}):
     * {@code f*c'}, {@code i*g}, their sum, {@code o*tanh(c)}.
     */
    private static final class ForwardOps {
        final BoundOp forget;
        final BoundOp input;
        final BoundOp cell;
        final BoundOp hidden;

        ForwardOps(Scratch s, int t) {
            INDArray[] a = s.gate[t];
            forget = s.bind(BoundOp.multiply(a[1], t == 0 ? s.c0T : s.c[t - 1], s.c[t]));
            input = s.bind(BoundOp.multiply(a[0], a[2], s.ig));
            cell = s.bind(BoundOp.add(s.c[t], s.ig, s.c[t]));
            hidden = s.bind(BoundOp.multiply(a[3], s.tc[t], s.hT[t + 1]));
        }
    }

    /**
     * Step t's backward products and {@code 1 - a}, bound once ({@link BoundOp}): those that read
     * the step's gates, cells or {@code dh}, in the order {@link #backward} runs them.
     */
    private static final class BackwardOps {
        final BoundOp oneMinusGates;
        final BoundOp gateSlope;
        final BoundOp dOutput;
        final BoundOp dOutputTanh;
        final BoundOp dCell;
        final BoundOp dCellTanh;
        final BoundOp dInput;
        final BoundOp gSquared;
        final BoundOp dCandidate;
        final BoundOp dForget;
        final BoundOp dcPrevious;

        BackwardOps(Scratch s, int t) {
            INDArray[] a = s.gate[t];
            INDArray[] d = s.dGate;
            INDArray dh = s.dhT[t + 1];
            oneMinusGates = s.bind(BoundOp.oneMinus(s.zt[t], s.dz));
            gateSlope = s.bind(BoundOp.multiply(s.dz, s.zt[t], s.dz));
            dOutput = s.bind(BoundOp.multiply(d[3], dh, d[3]));
            dOutputTanh = s.bind(BoundOp.multiply(d[3], s.tc[t], d[3]));
            dCell = s.bind(BoundOp.multiply(dh, a[3], s.dc));
            dCellTanh = s.bind(BoundOp.multiply(s.dc, s.kT[t], s.dc));
            dInput = s.bind(BoundOp.multiply(d[0], a[2], d[0]));
            gSquared = s.bind(BoundOp.multiply(a[2], a[2], d[2]));
            dCandidate = s.bind(BoundOp.multiply(d[2], a[0], d[2]));
            dForget = s.bind(BoundOp.multiply(d[1], t == 0 ? s.c0T : s.c[t - 1], d[1]));
            dcPrevious = s.bind(BoundOp.multiply(s.dc, a[1], s.dcNext));
        }
    }

    /**
     * The backward calls on arrays every step shares (the {@code dz} blocks, {@code dc},
     * {@code dc'}), bound once: {@code dc += dc'}; {@code dZ_i}, {@code dZ_g}, {@code dZ_f} times
     * {@code dc}; {@code 1 - g^2} in place.
     */
    private static final class SharedBackwardOps {
        final BoundOp dcCarry;
        final BoundOp dInputCell;
        final BoundOp dCandidateCell;
        final BoundOp dForgetCell;
        final BoundOp oneMinusGSquared;

        SharedBackwardOps(Scratch s) {
            INDArray[] d = s.dGate;
            dcCarry = s.bind(BoundOp.add(s.dc, s.dcNext, s.dc));
            dInputCell = s.bind(BoundOp.multiply(d[0], s.dc, d[0]));
            dCandidateCell = s.bind(BoundOp.multiply(d[2], s.dc, d[2]));
            dForgetCell = s.bind(BoundOp.multiply(d[1], s.dc, d[1]));
            oneMinusGSquared = s.bind(BoundOp.oneMinus(d[2], d[2]));
        }
    }
}
