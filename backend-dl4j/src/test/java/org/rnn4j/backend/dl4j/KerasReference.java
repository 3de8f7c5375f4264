package org.rnn4j.backend.dl4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.BatchNormalizationSpec;
import org.rnn4j.api.layers.BidirectionalSpec;
import org.rnn4j.api.layers.DenseSpec;
import org.rnn4j.api.layers.DropoutSpec;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.layers.GruSpec;
import org.rnn4j.api.layers.LayerSpec;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.layers.SimpleRnnSpec;
import org.rnn4j.api.layers.TimeDistributedSpec;
import org.rnn4j.api.model.LayerInfo;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * An independent, plain-Java double-precision forward pass of the Keras layers, one sample at a
 * time, written from the equations in api/src/test/resources/oracle/README.md (not from ModelGraph), so a
 * wrong op in the ND4J graph shows up as a numeric difference. Inference mode, except that
 * dropout masks may be given (training-mode dropout); BatchNormalization uses moving statistics.
 */
final class KerasReference {
    private final ModelSpec spec;
    private final WeightStore w;

    KerasReference(ModelSpec spec, WeightStore weights) {
        this.spec = spec;
        this.w = weights;
    }

    /** A sample flowing between layers: a sequence {@code [t][f]} or a vector {@code [f]}, and the padding mask. */
    private record Value(double[][] seq, double[] vec, boolean[] mask) {}

    Tensor predict(Tensor input) {
        return run(input, Map.of());
    }

    /** Forward pass with dropout masks by name ({@code [batch, ...]}, as ModelGraph.noiseSpecs names them). */
    Tensor run(Tensor input, Map<String, Tensor> noise) {
        int batch = input.dim(0);
        List<double[]> outs = new ArrayList<>();
        int[] outShape = null;
        for (int b = 0; b < batch; b++) {
            Value v = sample(input, b);
            for (LayerInfo info : spec.layerInfos()) {
                v = layer(info.name(), info.layer(), v, noise, b);
            }
            if (v.vec != null) {
                outs.add(v.vec);
                outShape = new int[] {batch, v.vec.length};
            } else {
                double[] flat = new double[v.seq.length * v.seq[0].length];
                for (int t = 0; t < v.seq.length; t++) {
                    System.arraycopy(v.seq[t], 0, flat, t * v.seq[0].length, v.seq[0].length);
                }
                outs.add(flat);
                outShape = new int[] {batch, v.seq.length, v.seq[0].length};
            }
        }
        int per = outs.get(0).length;
        float[] data = new float[batch * per];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < per; i++) {
                data[b * per + i] = (float) outs.get(b)[i];
            }
        }
        return Tensor.of(data, outShape);
    }

    private static Value sample(Tensor input, int b) {
        int[] s = input.shape();
        if (s.length == 2 && input.dtype() == org.rnn4j.api.tensor.DType.INT32) {
            double[][] ids = new double[s[1]][1];
            for (int t = 0; t < s[1]; t++) {
                ids[t][0] = input.getDouble(b * s[1] + t);
            }
            return new Value(ids, null, null);
        }
        if (s.length == 2) {
            double[] v = new double[s[1]];
            for (int i = 0; i < s[1]; i++) {
                v[i] = input.getDouble(b * s[1] + i);
            }
            return new Value(null, v, null);
        }
        double[][] x = new double[s[1]][s[2]];
        for (int t = 0; t < s[1]; t++) {
            for (int f = 0; f < s[2]; f++) {
                x[t][f] = input.getDouble((b * s[1] + t) * s[2] + f);
            }
        }
        return new Value(x, null, null);
    }

    private double[] weight(String name) {
        float[] a = w.array(name);
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private Value layer(String name, LayerSpec layer, Value in, Map<String, Tensor> noise, int b) {
        if (layer instanceof EmbeddingSpec e) {
            double[] table = weight(name + "/embeddings");
            int dim = e.outputDim();
            double[][] out = new double[in.seq.length][dim];
            boolean[] mask = e.maskZero() ? new boolean[in.seq.length] : null;
            for (int t = 0; t < in.seq.length; t++) {
                int id = (int) in.seq[t][0];
                System.arraycopy(table, id * dim, out[t], 0, dim);
                if (mask != null) {
                    mask[t] = id != 0;
                }
            }
            return new Value(out, null, mask);
        }
        if (layer instanceof DenseSpec d) {
            return dense(name, d, in);
        }
        if (layer instanceof TimeDistributedSpec td && td.layer() instanceof DenseSpec d) {
            return dense(name, d, in);
        }
        if (layer instanceof DropoutSpec) {
            Tensor m = noise.get(name + "/dropout");
            if (m == null) {
                return in;
            }
            if (in.vec != null) {
                double[] out = in.vec.clone();
                for (int i = 0; i < out.length; i++) {
                    out[i] *= m.getDouble(b * out.length + i);
                }
                return new Value(null, out, in.mask);
            }
            int f = in.seq[0].length;
            double[][] out = new double[in.seq.length][f];
            for (int t = 0; t < out.length; t++) {
                for (int i = 0; i < f; i++) {
                    out[t][i] = in.seq[t][i] * m.getDouble((b * out.length + t) * f + i);
                }
            }
            return new Value(out, null, in.mask);
        }
        if (layer instanceof BatchNormalizationSpec bn) {
            double[] mean = weight(name + "/moving_mean");
            double[] var = weight(name + "/moving_variance");
            double[] gamma = bn.scale() ? weight(name + "/gamma") : null;
            double[] beta = bn.center() ? weight(name + "/beta") : null;
            java.util.function.UnaryOperator<double[]> norm = x -> {
                double[] y = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    y[i] = (x[i] - mean[i]) / Math.sqrt(var[i] + bn.epsilon()) * (gamma == null ? 1 : gamma[i])
                            + (beta == null ? 0 : beta[i]);
                }
                return y;
            };
            if (in.vec != null) {
                return new Value(null, norm.apply(in.vec), in.mask);
            }
            double[][] out = new double[in.seq.length][];
            for (int t = 0; t < out.length; t++) {
                out[t] = norm.apply(in.seq[t]);
            }
            return new Value(out, null, in.mask);
        }
        if (layer instanceof RecurrentSpec r) {
            List<double[]> outs = recurrent(name, r, in, false);
            return r.returnSequences()
                    ? new Value(outs.toArray(new double[0][]), null, in.mask)
                    : new Value(null, outs.get(outs.size() - 1), null);
        }
        if (layer instanceof BidirectionalSpec bi) {
            RecurrentSpec r = bi.layer();
            List<double[]> fwd = recurrent(name + "/forward_" + bi.innerName(), r, in, false);
            List<double[]> bwd = recurrent(name + "/backward_" + bi.innerName(), r, in, true);
            if (!r.returnSequences()) {
                return new Value(null, merge(bi, fwd.get(fwd.size() - 1), bwd.get(bwd.size() - 1)), null);
            }
            List<double[]> bwdInTime = new ArrayList<>(bwd);
            Collections.reverse(bwdInTime);
            double[][] out = new double[fwd.size()][];
            for (int t = 0; t < out.length; t++) {
                out[t] = merge(bi, fwd.get(t), bwdInTime.get(t));
            }
            return new Value(out, null, in.mask);
        }
        throw new IllegalArgumentException("no reference for " + layer);
    }

    private static double[] merge(BidirectionalSpec bi, double[] a, double[] c) {
        double[] out;
        switch (bi.mergeMode()) {
            case CONCAT -> {
                out = new double[a.length + c.length];
                System.arraycopy(a, 0, out, 0, a.length);
                System.arraycopy(c, 0, out, a.length, c.length);
            }
            case SUM -> {
                out = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i] + c[i];
                }
            }
            case MUL -> {
                out = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i] * c[i];
                }
            }
            case AVE -> {
                out = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = (a[i] + c[i]) / 2;
                }
            }
            default -> throw new IllegalArgumentException(bi.mergeMode().toString());
        }
        return out;
    }

    private Value dense(String name, DenseSpec d, Value in) {
        double[] k = weight(name + "/kernel");
        double[] bias = d.useBias() ? weight(name + "/bias") : null;
        java.util.function.UnaryOperator<double[]> f = x -> {
            double[] y = new double[d.units()];
            for (int j = 0; j < d.units(); j++) {
                double s = bias == null ? 0 : bias[j];
                for (int i = 0; i < x.length; i++) {
                    s += x[i] * k[i * d.units() + j];
                }
                y[j] = s;
            }
            return act(d.activation(), y);
        };
        if (in.vec != null) {
            return new Value(null, f.apply(in.vec), in.mask);
        }
        double[][] out = new double[in.seq.length][];
        for (int t = 0; t < out.length; t++) {
            out[t] = f.apply(in.seq[t]);
        }
        return new Value(out, null, in.mask);
    }

    /** x.W where W is row-major {@code [x.length, cols]}, columns {@code [from, from + n)}. */
    private static double[] matvec(double[] x, double[] m, int cols, int from, int n) {
        double[] y = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += x[i] * m[i * cols + from + j];
            }
            y[j] = s;
        }
        return y;
    }

    /** Outputs in processing order. */
    private List<double[]> recurrent(String name, RecurrentSpec r, Value in, boolean backwardsOverride) {
        boolean backwards = backwardsOverride || r.goBackwards();
        int u = r.units();
        int k = r.gateCount();
        double[] kernel = weight(name + "/kernel");
        double[] rec = weight(name + "/recurrent_kernel");
        boolean useBias = r.options().useBias();
        double[] bias = useBias ? weight(name + "/bias") : new double[2 * k * u];
        Activation act = r.options().activation();
        Activation ra = r.options().recurrentActivation();
        int steps = in.seq.length;
        double[] h = new double[u];
        double[] c = new double[u];
        List<double[]> outs = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            int t = backwards ? steps - 1 - i : i;
            double[] x = in.seq[t];
            double[] hNew;
            double[] cNew = c;
            if (r instanceof SimpleRnnSpec) {
                double[] z = add(add(matvec(x, kernel, u, 0, u), matvec(h, rec, u, 0, u)), slice(bias, 0, u));
                hNew = act(act, z);
            } else if (r instanceof LstmSpec) {
                double[][] g = new double[4][];
                for (int q = 0; q < 4; q++) {
                    g[q] = add(
                            add(matvec(x, kernel, 4 * u, q * u, u), matvec(h, rec, 4 * u, q * u, u)),
                            slice(bias, q * u, u));
                }
                double[] ig = act(ra, g[0]);
                double[] fg = act(ra, g[1]);
                double[] cg = act(act, g[2]);
                double[] og = act(ra, g[3]);
                cNew = new double[u];
                hNew = new double[u];
                for (int j = 0; j < u; j++) {
                    cNew[j] = fg[j] * c[j] + ig[j] * cg[j];
                }
                double[] ac = act(act, cNew);
                for (int j = 0; j < u; j++) {
                    hNew[j] = og[j] * ac[j];
                }
            } else {
                boolean resetAfter = ((GruSpec) r).resetAfter();
                double[] b0 = slice(bias, 0, 3 * u);
                double[] b1 = resetAfter ? slice(bias, 3 * u, 3 * u) : new double[3 * u];
                double[] mxz = add(matvec(x, kernel, 3 * u, 0, u), slice(b0, 0, u));
                double[] mxr = add(matvec(x, kernel, 3 * u, u, u), slice(b0, u, u));
                double[] mxh = add(matvec(x, kernel, 3 * u, 2 * u, u), slice(b0, 2 * u, u));
                double[] z = act(ra, add(mxz, add(matvec(h, rec, 3 * u, 0, u), slice(b1, 0, u))));
                double[] rr = act(ra, add(mxr, add(matvec(h, rec, 3 * u, u, u), slice(b1, u, u))));
                double[] hh;
                if (resetAfter) {
                    double[] mhh = add(matvec(h, rec, 3 * u, 2 * u, u), slice(b1, 2 * u, u));
                    hh = new double[u];
                    for (int j = 0; j < u; j++) {
                        hh[j] = mxh[j] + rr[j] * mhh[j];
                    }
                } else {
                    double[] rh = new double[u];
                    for (int j = 0; j < u; j++) {
                        rh[j] = rr[j] * h[j];
                    }
                    hh = add(mxh, matvec(rh, rec, 3 * u, 2 * u, u));
                }
                hh = act(act, hh);
                hNew = new double[u];
                for (int j = 0; j < u; j++) {
                    hNew[j] = z[j] * h[j] + (1 - z[j]) * hh[j];
                }
            }
            if (in.mask != null && !in.mask[t]) {
                hNew = h;
                cNew = c;
            }
            h = hNew;
            c = cNew;
            outs.add(h.clone());
        }
        return outs;
    }

    private static double[] slice(double[] a, int from, int n) {
        double[] y = new double[n];
        System.arraycopy(a, from, y, 0, n);
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    static double[] act(Activation a, double[] x) {
        double[] y = new double[x.length];
        if (a == Activation.SOFTMAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : x) {
                max = Math.max(max, v);
            }
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                y[i] = Math.exp(x[i] - max);
                s += y[i];
            }
            for (int i = 0; i < x.length; i++) {
                y[i] /= s;
            }
            return y;
        }
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            y[i] = switch (a) {
                case LINEAR -> v;
                case TANH -> Math.tanh(v);
                case SIGMOID -> 1 / (1 + Math.exp(-v));
                case HARD_SIGMOID -> Math.min(1, Math.max(0, v / 6 + 0.5));
                case HARD_SIGMOID_KERAS2 -> Math.min(1, Math.max(0, 0.2 * v + 0.5));
                case RELU -> Math.max(0, v);
                case SOFTPLUS -> Math.log1p(Math.exp(v));
                case SOFTSIGN -> v / (1 + Math.abs(v));
                case EXPONENTIAL -> Math.exp(v);
                case SOFTMAX -> throw new AssertionError();
            };
        }
        return y;
    }
}
