package org.rnn4j.backend.tf;

import java.util.function.DoubleUnaryOperator;

/**
 * The Keras equations written out in plain Java doubles, independent of the api's ModelGraph, as
 * the oracle for the TensorFlow programs (see ModelGraph's Javadoc and the oracle README):
 * <pre>
 * SimpleRNN: h = act(x.W + b + h'.U)
 * LSTM (i, f, c, o): z = x.W + h'.U + b; c = ra(z_f)*c' + ra(z_i)*act(z_c); h = ra(z_o)*act(c)
 * GRU (z, r, h) reset_after=false: hh = act(x.W_h + b_h + (r*h').U_h); h = z*h' + (1-z)*hh
 * GRU reset_after=true: hh = act(x.W_h + b0_h + r*(h'.U_h + b1_h))
 * </pre>
 */
final class Reference {
    private Reference() {}

    enum Cell {
        SIMPLE,
        LSTM,
        GRU_RESET_BEFORE,
        GRU_RESET_AFTER
    }

    static final DoubleUnaryOperator LINEAR = x -> x;
    static final DoubleUnaryOperator TANH = Math::tanh;
    static final DoubleUnaryOperator SIGMOID = x -> 1 / (1 + Math.exp(-x));
    static final DoubleUnaryOperator RELU = x -> Math.max(0, x);
    static final DoubleUnaryOperator HARD_SIGMOID_KERAS2 = x -> Math.min(1, Math.max(0, 0.2 * x + 0.5));

    /**
     * One recurrent layer. Returns the outputs in processing order {@code [batch][steps][units]}.
     *
     * @param bias null, one row, or (GRU reset_after) two rows: input and recurrent
     * @param mask {@code [batch][time]}, 0 = padding (keep the previous state), or null
     * @param dp   input dropout mask {@code [batch][features]} or null
     * @param rdp  recurrent dropout mask {@code [batch][units]} or null
     */
    static double[][][] recurrent(
            Cell cell,
            double[][][] x,
            double[][] kernel,
            double[][] recurrentKernel,
            double[][] bias,
            boolean backwards,
            double[][] mask,
            double[][] dp,
            double[][] rdp,
            DoubleUnaryOperator act,
            DoubleUnaryOperator ra) {
        int batch = x.length;
        int steps = x[0].length;
        int u = recurrentKernel.length;
        double[][][] out = new double[batch][steps][];
        for (int b = 0; b < batch; b++) {
            double[] h = new double[u];
            double[] c = new double[u];
            for (int s = 0; s < steps; s++) {
                int t = backwards ? steps - 1 - s : s;
                double[] xt = x[b][t].clone();
                if (dp != null) {
                    for (int j = 0; j < xt.length; j++) {
                        xt[j] *= dp[b][j];
                    }
                }
                double[] mx = matvec(xt, kernel);
                if (bias != null) {
                    addInPlace(mx, bias[0]);
                }
                double[] hr = h.clone();
                if (rdp != null) {
                    for (int j = 0; j < u; j++) {
                        hr[j] *= rdp[b][j];
                    }
                }
                double[] hn = new double[u];
                double[] cn = new double[u];
                switch (cell) {
                    case SIMPLE -> {
                        double[] z = matvec(hr, recurrentKernel);
                        for (int j = 0; j < u; j++) {
                            hn[j] = act.applyAsDouble(mx[j] + z[j]);
                        }
                    }
                    case LSTM -> {
                        double[] z = matvec(hr, recurrentKernel);
                        addInPlace(z, mx);
                        for (int j = 0; j < u; j++) {
                            double i = ra.applyAsDouble(z[j]);
                            double f = ra.applyAsDouble(z[u + j]);
                            double g = act.applyAsDouble(z[2 * u + j]);
                            double o = ra.applyAsDouble(z[3 * u + j]);
                            cn[j] = f * c[j] + i * g;
                            hn[j] = o * act.applyAsDouble(cn[j]);
                        }
                    }
                    case GRU_RESET_BEFORE -> {
                        double[] mh = matvec(hr, recurrentKernel);
                        double[] z = new double[u];
                        double[] r = new double[u];
                        double[] rh = new double[u];
                        for (int j = 0; j < u; j++) {
                            z[j] = ra.applyAsDouble(mx[j] + mh[j]);
                            r[j] = ra.applyAsDouble(mx[u + j] + mh[u + j]);
                            rh[j] = r[j] * hr[j];
                        }
                        double[] mhh = matvec(rh, recurrentKernel);
                        for (int j = 0; j < u; j++) {
                            double hh = act.applyAsDouble(mx[2 * u + j] + mhh[2 * u + j]);
                            hn[j] = z[j] * h[j] + (1 - z[j]) * hh;
                        }
                    }
                    case GRU_RESET_AFTER -> {
                        double[] mh = matvec(hr, recurrentKernel);
                        if (bias != null) {
                            addInPlace(mh, bias[1]);
                        }
                        for (int j = 0; j < u; j++) {
                            double z = ra.applyAsDouble(mx[j] + mh[j]);
                            double r = ra.applyAsDouble(mx[u + j] + mh[u + j]);
                            double hh = act.applyAsDouble(mx[2 * u + j] + r * mh[2 * u + j]);
                            hn[j] = z * h[j] + (1 - z) * hh;
                        }
                    }
                }
                if (mask != null && mask[b][t] == 0) {
                    hn = h;
                    cn = c;
                }
                h = hn;
                c = cn;
                out[b][s] = h.clone();
            }
        }
        return out;
    }

    /** The last step of each sample: {@code [batch][units]}. */
    static double[][] last(double[][][] seq) {
        double[][] out = new double[seq.length][];
        for (int b = 0; b < seq.length; b++) {
            out[b] = seq[b][seq[b].length - 1];
        }
        return out;
    }

    /** Processing order back to time order (go_backwards with return_sequences keeps processing order; Bidirectional re-reverses). */
    static double[][][] reverseTime(double[][][] seq) {
        double[][][] out = new double[seq.length][][];
        for (int b = 0; b < seq.length; b++) {
            int n = seq[b].length;
            out[b] = new double[n][];
            for (int s = 0; s < n; s++) {
                out[b][s] = seq[b][n - 1 - s];
            }
        }
        return out;
    }

    static double[][] dense(double[][] x, double[][] kernel, double[] bias, DoubleUnaryOperator act) {
        double[][] y = new double[x.length][];
        for (int b = 0; b < x.length; b++) {
            y[b] = matvec(x[b], kernel);
            for (int j = 0; j < y[b].length; j++) {
                y[b][j] = act.applyAsDouble(y[b][j] + (bias == null ? 0 : bias[j]));
            }
        }
        return y;
    }

    static double[][][] dense(double[][][] x, double[][] kernel, double[] bias, DoubleUnaryOperator act) {
        double[][][] y = new double[x.length][][];
        for (int b = 0; b < x.length; b++) {
            y[b] = dense(x[b], kernel, bias, act);
        }
        return y;
    }

    static double[][] softmax(double[][] x) {
        double[][] y = new double[x.length][];
        for (int b = 0; b < x.length; b++) {
            double max = java.util.Arrays.stream(x[b]).max().orElse(0);
            double sum = 0;
            y[b] = new double[x[b].length];
            for (int j = 0; j < x[b].length; j++) {
                y[b][j] = Math.exp(x[b][j] - max);
                sum += y[b][j];
            }
            for (int j = 0; j < x[b].length; j++) {
                y[b][j] /= sum;
            }
        }
        return y;
    }

    static double[][] batchNorm(
            double[][] x, double[] mean, double[] variance, double[] gamma, double[] beta, double epsilon) {
        double[][] y = new double[x.length][x[0].length];
        for (int b = 0; b < x.length; b++) {
            for (int j = 0; j < x[0].length; j++) {
                y[b][j] = (x[b][j] - mean[j]) / Math.sqrt(variance[j] + epsilon) * gamma[j] + beta[j];
            }
        }
        return y;
    }

    static double[][] concat(double[][] a, double[][] b) {
        double[][] y = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            y[i] = new double[a[i].length + b[i].length];
            System.arraycopy(a[i], 0, y[i], 0, a[i].length);
            System.arraycopy(b[i], 0, y[i], a[i].length, b[i].length);
        }
        return y;
    }

    static double[][][] concat(double[][][] a, double[][][] b) {
        double[][][] y = new double[a.length][][];
        for (int i = 0; i < a.length; i++) {
            y[i] = concat(a[i], b[i]);
        }
        return y;
    }

    static double[] matvec(double[] v, double[][] m) {
        double[] y = new double[m[0].length];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < y.length; j++) {
                y[j] += v[i] * m[i][j];
            }
        }
        return y;
    }

    private static void addInPlace(double[] a, double[] b) {
        for (int j = 0; j < a.length; j++) {
            a[j] += b[j];
        }
    }
}
