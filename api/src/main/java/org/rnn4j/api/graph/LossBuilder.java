package org.rnn4j.api.graph;

import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.LossOptions;

/**
 * The Keras losses in graph form, reduced as Keras's {@code sum_over_batch_size}: the per-sample
 * value over the last axis ({@code [batch]}, or {@code [batch, time]} for sequence outputs), times
 * the sample weight when there is one, then the mean over those values ({@code sum / count}, as
 * Keras 3's {@code reduce_weighted_values}). Written from Keras 3's {@code keras.losses} and its
 * TensorFlow backend ({@code sigmoid_cross_entropy_with_logits}, {@code softmax_cross_entropy_with_logits}).
 */
final class LossBuilder<V> {
    private final Ops<V> ops;

    LossBuilder(Ops<V> ops) {
        this.ops = ops;
    }

    /** The reduced loss; {@code sampleWeight} (the per-sample values' shape) or null. */
    V loss(Loss loss, LossOptions options, V pred, V target, int classes, V sampleWeight) {
        V values = values(loss, options, pred, target, classes);
        return ops.meanAll(sampleWeight == null ? values : ops.mul(values, sampleWeight));
    }

    /** The per-sample values: the loss over the last axis. */
    V values(Loss loss, LossOptions options, V pred, V target, int classes) {
        float eps = Loss.EPSILON;
        return switch (loss) {
            case MEAN_SQUARED_ERROR -> lastMean(ops.square(ops.sub(pred, target)));
            case MEAN_ABSOLUTE_ERROR -> lastMean(ops.abs(ops.sub(pred, target)));
            case HUBER -> {
                // Branch-free Huber: 0.5*q^2 + delta*(|e| - q), q = min(|e|, delta).
                float delta = (float) options.delta();
                V a = ops.abs(ops.sub(pred, target));
                V q = ops.minimum(a, ops.scalar(delta));
                V linear = ops.sub(a, q);
                if (delta != 1f) {
                    linear = ops.mul(linear, ops.scalar(delta));
                }
                yield lastMean(ops.add(ops.mul(ops.square(q), ops.scalar(0.5f)), linear));
            }
            case BINARY_CROSSENTROPY -> {
                V y = smooth(target, options.labelSmoothing(), 2);
                if (options.fromLogits()) {
                    // max(x, 0) - x*y + log(1 + exp(-|x|))
                    V x = pred;
                    V ce = ops.add(
                            ops.sub(ops.relu(x), ops.mul(x, y)), ops.softplus(ops.sub(ops.scalar(0f), ops.abs(x))));
                    yield lastMean(ce);
                }
                V p = clip(pred);
                V one = ops.scalar(1f);
                V ll = ops.add(ops.mul(y, ops.log(p)), ops.mul(ops.sub(one, y), ops.log(ops.sub(one, p))));
                yield ops.sub(ops.scalar(0f), lastMean(ll));
            }
            case CATEGORICAL_CROSSENTROPY -> {
                V y = smooth(target, options.labelSmoothing(), classes);
                if (options.fromLogits()) {
                    yield negSum(ops.mul(y, logSoftmax(pred)));
                }
                V p = clip(ops.div(pred, ops.sum(pred, -1, true)));
                yield negSum(ops.mul(y, ops.log(p)));
            }
            case SPARSE_CATEGORICAL_CROSSENTROPY -> {
                V y = ops.oneHot(target, classes);
                yield negSum(ops.mul(y, options.fromLogits() ? logSoftmax(pred) : ops.log(clip(pred))));
            }
            case MEAN_SQUARED_LOGARITHMIC_ERROR -> {
                V one = ops.scalar(1f);
                V first = ops.log(ops.add(ops.maximum(pred, ops.scalar(eps)), one));
                V second = ops.log(ops.add(ops.maximum(target, ops.scalar(eps)), one));
                yield lastMean(ops.square(ops.sub(first, second)));
            }
            case MEAN_ABSOLUTE_PERCENTAGE_ERROR -> {
                V diff = ops.abs(ops.div(ops.sub(target, pred), ops.maximum(ops.abs(target), ops.scalar(eps))));
                yield ops.mul(lastMean(diff), ops.scalar(100f));
            }
            case LOG_COSH -> {
                // log(cosh(e)) = e + softplus(-2e) - log(2)
                V e = ops.sub(pred, target);
                V lc = ops.sub(
                        ops.add(e, ops.softplus(ops.mul(e, ops.scalar(-2f)))), ops.scalar((float) Math.log(2.0)));
                yield lastMean(lc);
            }
            case KL_DIVERGENCE -> {
                V y = clip01(target);
                V p = clip01(pred);
                yield ops.sum(ops.mul(y, ops.log(ops.div(y, p))), -1, false);
            }
            case POISSON -> lastMean(ops.sub(pred, ops.mul(target, ops.log(ops.add(pred, ops.scalar(eps))))));
            case HINGE -> lastMean(hingeMargin(pred, target));
            case SQUARED_HINGE -> lastMean(ops.square(hingeMargin(pred, target)));
            case CATEGORICAL_HINGE -> {
                V pos = ops.sum(ops.mul(target, pred), -1, false);
                V neg = ops.max(ops.mul(ops.sub(ops.scalar(1f), target), pred), -1, false);
                yield ops.maximum(ops.add(ops.sub(neg, pos), ops.scalar(1f)), ops.scalar(0f));
            }
            case COSINE_SIMILARITY -> {
                V s = ops.sum(ops.mul(l2Normalize(target), l2Normalize(pred)), -1, false);
                yield ops.sub(ops.scalar(0f), s);
            }
        };
    }

    /** {@code max(1 - y*p, 0)}; 0/1 targets were already turned into -1/1 by the api. */
    private V hingeMargin(V pred, V target) {
        return ops.maximum(ops.sub(ops.scalar(1f), ops.mul(target, pred)), ops.scalar(0f));
    }

    /** Keras's label smoothing: {@code y*(1-s) + s/k} (k = 2 for binary, the class count for categorical). */
    private V smooth(V y, double s, int k) {
        if (s == 0) {
            return y;
        }
        return ops.add(ops.mul(y, ops.scalar((float) (1 - s))), ops.scalar((float) (s / k)));
    }

    /** {@code x - max - log(sum(exp(x - max)))} over the last axis. */
    private V logSoftmax(V x) {
        V shifted = ops.sub(x, ops.max(x, -1, true));
        return ops.sub(shifted, ops.log(ops.sum(ops.exp(shifted), -1, true)));
    }

    /** Keras's L2 normalisation over the last axis: {@code x / sqrt(max(sum(x^2), eps^2))}. */
    private V l2Normalize(V x) {
        V squares = ops.sum(ops.square(x), -1, true);
        return ops.div(x, ops.sqrt(ops.maximum(squares, ops.scalar(Loss.EPSILON * Loss.EPSILON))));
    }

    private V negSum(V x) {
        return ops.sub(ops.scalar(0f), ops.sum(x, -1, false));
    }

    private V lastMean(V x) {
        return ops.mean(x, -1, false);
    }

    private V clip(V p) {
        return ops.minimum(ops.maximum(p, ops.scalar(Loss.EPSILON)), ops.scalar(1f - Loss.EPSILON));
    }

    private V clip01(V p) {
        return ops.minimum(ops.maximum(p, ops.scalar(Loss.EPSILON)), ops.scalar(1f));
    }
}
