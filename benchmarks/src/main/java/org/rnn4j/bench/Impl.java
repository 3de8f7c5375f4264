package org.rnn4j.bench;

import java.util.Arrays;
import org.rnn4j.bench.dl4j.Dl4jBaselineInference;
import org.rnn4j.bench.dl4j.Dl4jBaselineTraining;
import org.rnn4j.bench.rnn4j.Rnn4jInference;
import org.rnn4j.bench.rnn4j.Rnn4jTraining;
import org.rnn4j.bench.tf.TfBaselineInference;
import org.rnn4j.bench.tf.TfBaselineTraining;
import org.rnn4j.bench.tf.TfForm;

/**
 * Who runs a workload: rnn4j on one of its engines, or hand-written code straight on that engine.
 * Only the chosen implementation's classes are loaded, so a run never loads the other engine.
 */
public enum Impl {
    RNN4J_TF("rnn4j-tf"),
    RNN4J_DL4J("rnn4j-dl4j"),
    /** Hand-written TensorFlow, the input projection hoisted out of the loop ({@link TfForm#HOISTED}). */
    TF_BASELINE("tf-baseline"),
    /** Hand-written TensorFlow, {@code x_t . W + h . U + b} per step ({@link TfForm#PLAIN}). */
    TF_BASELINE_PLAIN("tf-baseline-plain"),
    /** Hand-written TensorFlow, the fused {@code BlockLSTMV2} per LSTM layer ({@link TfForm#BLOCK}); not W1. */
    TF_BASELINE_BLOCK("tf-baseline-block"),
    /** Hand-written TensorFlow, each LSTM gate-major ({@link TfForm#GATE_MAJOR}); not W1. */
    TF_BASELINE_GATE_MAJOR("tf-baseline-gate-major"),
    DL4J_BASELINE("dl4j-baseline"),
    /** The same MultiLayerNetwork code with ND4J pinned to one thread (DL4J's own default is one per core). */
    DL4J_BASELINE_1T("dl4j-baseline-1t");

    private final String id;

    Impl(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The engine underneath: {@code tf} or {@code dl4j}. */
    public String engine() {
        return this == RNN4J_TF || tfForm() != null ? "tf" : "dl4j";
    }

    /** The form of a hand-written TensorFlow baseline, else null. */
    public TfForm tfForm() {
        return switch (this) {
            case TF_BASELINE -> TfForm.HOISTED;
            case TF_BASELINE_PLAIN -> TfForm.PLAIN;
            case TF_BASELINE_BLOCK -> TfForm.BLOCK;
            case TF_BASELINE_GATE_MAJOR -> TfForm.GATE_MAJOR;
            default -> null;
        };
    }

    /** A training workload (W1, W1b, W2) on this implementation; the caller closes it. */
    public TrainingRun training(Workload workload, SyntheticData data) {
        return switch (this) {
            case RNN4J_TF -> new Rnn4jTraining("tf", workload, data);
            case RNN4J_DL4J -> new Rnn4jTraining("dl4j", workload, data);
            case TF_BASELINE, TF_BASELINE_PLAIN, TF_BASELINE_BLOCK, TF_BASELINE_GATE_MAJOR ->
                new TfBaselineTraining(workload, data, tfForm());
            case DL4J_BASELINE, DL4J_BASELINE_1T -> new Dl4jBaselineTraining(workload, data);
        };
    }

    /** Workload P on this implementation; the caller closes it. */
    public InferenceRun inference(boolean small) {
        return switch (this) {
            case RNN4J_TF -> new Rnn4jInference("tf", small);
            case RNN4J_DL4J -> new Rnn4jInference("dl4j", small);
            case TF_BASELINE, TF_BASELINE_PLAIN, TF_BASELINE_BLOCK, TF_BASELINE_GATE_MAJOR ->
                new TfBaselineInference(small, tfForm());
            case DL4J_BASELINE, DL4J_BASELINE_1T -> new Dl4jBaselineInference(small);
        };
    }

    public static Impl parse(String s) {
        for (Impl i : values()) {
            if (i.id.equalsIgnoreCase(s)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown implementation '" + s + "'; known: "
                + Arrays.stream(values()).map(Impl::id).toList());
    }
}
