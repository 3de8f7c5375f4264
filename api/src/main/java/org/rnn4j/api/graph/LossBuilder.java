package org.rnn4j.api.graph;

import org.rnn4j.api.compile.Loss;

/** The Keras losses in graph form, reduced as Keras's {@code sum_over_batch_size}: mean over every element or sample. */
final class LossBuilder<V> {
    private final Ops<V> ops;

    LossBuilder(Ops<V> ops) {
        this.ops = ops;
    }

    V loss(Loss loss, V pred, V target, int classes) {
        return switch (loss) {
            // Mean over the last axis then over the rest equals the mean over every element.
            case MEAN_SQUARED_ERROR -> ops.meanAll(ops.square(ops.sub(pred, target)));
            case MEAN_ABSOLUTE_ERROR -> ops.meanAll(ops.abs(ops.sub(pred, target)));
            case HUBER -> {
                // Branch-free Huber with delta 1: 0.5*q^2 + (|e| - q), q = min(|e|, 1).
                V a = ops.abs(ops.sub(pred, target));
                V q = ops.minimum(a, ops.scalar(1f));
                yield ops.meanAll(ops.add(ops.mul(ops.square(q), ops.scalar(0.5f)), ops.sub(a, q)));
            }
            case BINARY_CROSSENTROPY -> {
                V p = clip(pred);
                V one = ops.scalar(1f);
                V ll = ops.add(ops.mul(target, ops.log(p)), ops.mul(ops.sub(one, target), ops.log(ops.sub(one, p))));
                yield ops.sub(ops.scalar(0f), ops.meanAll(ll));
            }
            case CATEGORICAL_CROSSENTROPY -> {
                V p = clip(ops.div(pred, ops.sum(pred, -1, true)));
                yield negMeanOfSum(ops.mul(target, ops.log(p)));
            }
            case SPARSE_CATEGORICAL_CROSSENTROPY ->
                negMeanOfSum(ops.mul(ops.oneHot(target, classes), ops.log(clip(pred))));
        };
    }

    private V negMeanOfSum(V x) {
        return ops.sub(ops.scalar(0f), ops.meanAll(ops.sum(x, -1, false)));
    }

    private V clip(V p) {
        return ops.minimum(ops.maximum(p, ops.scalar(Loss.EPSILON)), ops.scalar(1f - Loss.EPSILON));
    }
}
