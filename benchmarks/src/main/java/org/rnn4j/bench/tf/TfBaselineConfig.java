package org.rnn4j.bench.tf;

import org.rnn4j.backend.tf.TfSessionOptions;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The session settings of the baseline: the same thread counts as rnn4j's TensorFlow backend
 * (its defaults or the same {@code rnn4j.tf.*} system properties) and Grappler off as there, so
 * a ratio between the two measures rnn4j's code, not a thread setting.
 */
final class TfBaselineConfig {
    private TfBaselineConfig() {}

    static ConfigProto config() {
        TfSessionOptions o = TfSessionOptions.fromSystemProperties();
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(o.intraOpThreads())
                .setInterOpParallelismThreads(o.interOpThreads())
                .setGraphOptions(GraphOptions.newBuilder()
                        .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
                .build();
    }
}
