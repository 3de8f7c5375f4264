package org.rnn4j.it;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Runs one small TensorFlow product without rnn4j (TensorFlow's own defaults, the environment as
 * given) and prints "ok": the reference for what TensorFlow does about oneDNN by itself.
 */
public final class RawTensorFlowMain {
    private RawTensorFlowMain() {}

    public static void main(String[] args) {
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var product = tf.linalg.matMul(tf.constant(new float[][] {{1, 2}}), tf.constant(new float[][] {{3}, {4}}));
            try (TFloat32 r = (TFloat32) s.runner().fetch(product).run().get(0)) {
                if (r.getFloat(0, 0) != 11f) {
                    throw new IllegalStateException("1*3 + 2*4 came out " + r.getFloat(0, 0));
                }
            }
        }
        System.out.println("ok");
    }
}
