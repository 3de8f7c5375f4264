package org.rnn4j.backend.dl4j;

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
 * with its own allocation, where this needs 9 and 10 into arrays allocated once per call.
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
 * Every array is allocated through the run ({@link TapeGraph.Run#own}) and freed with it.
 *
 * <p>A forward pass that will not be differentiated (inference) runs libnd4j's own fused
 * {@code lstmLayer} op instead: one native call for the whole sequence (its weight layout and gate
 * order are Keras's). Its gradient op {@code lstmLayer_bp} is never used: in 1.0.0-M2.1 it leaks
 * about 3.3 MB of native memory per call (batch 32, 50 steps, 50 units), which is why training
 * runs the forward and backward written here.
 */
final class TapeLstm {
    private final TapeGraph.Run run;
    private final int units;
    private final boolean returnSequences;
    private long batch;
    private long steps;
    private long features;
    private INDArray w;
    private INDArray r;
    private INDArray xFlat;
    /** Activated gates, {@code [T, B, 4U]}. */
    private INDArray gates;
    private INDArray cells;
    private INDArray tanhCells;
    private INDArray hidden;

    TapeLstm(TapeGraph.Run run, int units, boolean returnSequences) {
        this.run = run;
        this.units = units;
        this.returnSequences = returnSequences;
    }

    private INDArray own(INDArray a) {
        return run.own(a);
    }

    private INDArray block(INDArray step, int gate) {
        return step.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * units, (long) (gate + 1) * units));
    }

    private static void mul(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new MulOp(a, b, out));
    }

    /**
     * @param x    {@code [batch, time, features]}
     * @param bias {@code [4U]} or null
     * @return {@code [batch, time, units]} or the last step's {@code [batch, units]}
     */
    INDArray forward(INDArray x, INDArray kernel, INDArray recurrentKernel, INDArray bias, boolean keepForBackward) {
        batch = x.size(0);
        steps = x.size(1);
        features = x.size(2);
        if (!keepForBackward) {
            return fusedInference(x, kernel, recurrentKernel, bias);
        }
        w = kernel;
        r = recurrentKernel;
        long u = units;
        xFlat = own(x.permute(1, 0, 2).dup('c')).reshape('c', new long[] {steps * batch, features});
        INDArray z = run.matmul(xFlat, w, false, false);
        if (bias != null) {
            z.addiRowVector(bias);
        }
        gates = z.reshape('c', new long[] {steps, batch, 4 * u});
        cells = own(Nd4j.createUninitialized(DataType.FLOAT, steps, batch, u));
        tanhCells = own(Nd4j.createUninitialized(DataType.FLOAT, steps, batch, u));
        hidden = own(Nd4j.createUninitialized(DataType.FLOAT, steps, batch, u));
        INDArray ig = own(Nd4j.createUninitialized(DataType.FLOAT, batch, u));
        for (long t = 0; t < steps; t++) {
            INDArray zt = gates.slice(t);
            if (t > 0) {
                Nd4j.gemm(hidden.slice(t - 1), r, zt, false, false, 1.0, 1.0);
            }
            INDArray i = block(zt, 0);
            INDArray f = block(zt, 1);
            INDArray g = block(zt, 2);
            INDArray o = block(zt, 3);
            INDArray iandf = zt.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2 * u));
            Nd4j.getExecutioner().exec(new Sigmoid(iandf, iandf));
            Nd4j.getExecutioner().exec(new Tanh(g, g));
            Nd4j.getExecutioner().exec(new Sigmoid(o, o));
            INDArray c = cells.slice(t);
            if (t == 0) {
                mul(i, g, c);
            } else {
                mul(f, cells.slice(t - 1), c);
                mul(i, g, ig);
                c.addi(ig);
            }
            INDArray tc = tanhCells.slice(t);
            Nd4j.getExecutioner().exec(new Tanh(c, tc));
            mul(o, tc, hidden.slice(t));
        }
        if (returnSequences) {
            return own(hidden.permute(1, 0, 2).dup('c'));
        }
        return hidden.slice(steps - 1);
    }

    /** libnd4j's {@code lstmLayer}, batch-major ({@code NTS}), zero initial state. */
    private INDArray fusedInference(INDArray x, INDArray kernel, INDArray recurrentKernel, INDArray bias) {
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
        LSTMLayerWeights.LSTMLayerWeightsBuilder weights = LSTMLayerWeights.builder().iWeights(kernel).irWeights(recurrentKernel);
        if (bias != null) {
            weights.iBias(bias);
        }
        INDArray out = own(returnSequences
                ? Nd4j.createUninitialized(DataType.FLOAT, batch, steps, units)
                : Nd4j.createUninitialized(DataType.FLOAT, batch, units));
        // The op's INDArray constructor files its inputs as outputs in 1.0.0-M2.1, so it only
        // supplies the integer/boolean/float arguments of this config; the arrays go in here.
        LSTMLayer args = new LSTMLayer(x, null, null, null, weights.build(), config);
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("lstmLayer")
                .addIntegerArguments(java.util.Arrays.stream(args.iArgs()).mapToInt(Math::toIntExact).toArray())
                .addBooleanArguments(args.bArgs())
                .addFloatingPointArguments(java.util.Arrays.stream(args.tArgs()).boxed().toArray(Double[]::new))
                .addOutputs(out);
        op.addInputs(bias == null ? new INDArray[] {x, kernel, recurrentKernel} : new INDArray[] {x, kernel, recurrentKernel, bias});
        Nd4j.exec(op.build());
        return out;
    }

    /**
     * @param dy       the gradient of the output ({@code [batch, time, units]} or {@code [batch, units]})
     * @param wantsX   whether to compute the input's gradient
     * @return gradients of x (or null), kernel, recurrent kernel and bias (when there is one), in input order
     */
    INDArray[] backward(INDArray dy, boolean wantsX) {
        long u = units;
        long b = batch;
        INDArray dySteps = returnSequences ? own(dy.permute(1, 0, 2).dup('c')) : null;
        // act'(A): s*(1-s) for the sigmoid gates, 1-g^2 for the tanh gate, for all steps at once.
        INDArray deriv = own(gates.rsub(1f)).muli(gates);
        INDArray gAll = gates.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2 * u, 3 * u));
        INDArray gDeriv = own(gAll.mul(gAll)).rsubi(1f);
        deriv.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2 * u, 3 * u)).assign(gDeriv);
        // o*(1-tanh(c)^2), all steps
        INDArray oAll = gates.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3 * u, 4 * u));
        INDArray k = own(tanhCells.mul(tanhCells)).rsubi(1f);
        mul(k, oAll, k);

        INDArray dz = own(Nd4j.createUninitialized(DataType.FLOAT, steps, b, 4 * u));
        INDArray dh = own(Nd4j.createUninitialized(DataType.FLOAT, b, u));
        INDArray dhNext = own(Nd4j.zeros(DataType.FLOAT, b, u));
        INDArray dc = own(Nd4j.createUninitialized(DataType.FLOAT, b, u));
        INDArray dcNext = own(Nd4j.zeros(DataType.FLOAT, b, u));
        for (long t = steps - 1; t >= 0; t--) {
            if (returnSequences) {
                if (t == steps - 1) {
                    dh.assign(dySteps.slice(t));
                } else {
                    dySteps.slice(t).add(dhNext, dh);
                }
            } else if (t == steps - 1) {
                dh.assign(dy);
            } else {
                dh.assign(dhNext);
            }
            INDArray at = gates.slice(t);
            INDArray dzt = dz.slice(t);
            mul(dh, tanhCells.slice(t), block(dzt, 3));
            mul(dh, k.slice(t), dc);
            if (t < steps - 1) {
                dc.addi(dcNext);
            }
            mul(dc, block(at, 2), block(dzt, 0));
            mul(dc, block(at, 0), block(dzt, 2));
            if (t > 0) {
                mul(dc, cells.slice(t - 1), block(dzt, 1));
                mul(dc, block(at, 1), dcNext);
            } else {
                block(dzt, 1).assign(0);
            }
            dzt.muli(deriv.slice(t));
            if (t > 0) {
                Nd4j.gemm(dzt, r, dhNext, false, true, 1.0, 0.0);
            }
        }
        INDArray dzFlat = dz.reshape('c', new long[] {steps * b, 4 * u});
        INDArray dW = run.matmul(xFlat, dzFlat, true, false);
        INDArray dR;
        if (steps > 1) {
            INDArray hPrev = hidden.get(NDArrayIndex.interval(0, steps - 1), NDArrayIndex.all(), NDArrayIndex.all())
                    .reshape('c', new long[] {(steps - 1) * b, u});
            INDArray dzRest = dz.get(NDArrayIndex.interval(1, steps), NDArrayIndex.all(), NDArrayIndex.all())
                    .reshape('c', new long[] {(steps - 1) * b, 4 * u});
            dR = run.matmul(hPrev, dzRest, true, false);
        } else {
            dR = own(Nd4j.zeros(DataType.FLOAT, u, 4 * u));
        }
        INDArray dBias = run.columnSums(dzFlat);
        INDArray dx = null;
        if (wantsX) {
            INDArray dxFlat = run.matmul(dzFlat, w, false, true);
            dx = own(dxFlat.reshape('c', new long[] {steps, b, features}).permute(1, 0, 2).dup('c'));
        }
        return new INDArray[] {dx, dW, dR, dBias};
    }
}
