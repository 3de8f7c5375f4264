package org.rnn4j.bench.dl4j;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bench.InferenceRun;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.Workload;

/**
 * Workload P with {@code MultiLayerNetwork.output}: each call makes its NCW input from a Java
 * array and copies the output back. The next character runs the 100-id context and reads the last
 * step of the {@code [1, vocab, steps]} probabilities; the generation step is
 * {@code rnnTimeStep} on one id, which keeps the LSTM's state in the network between calls.
 */
public final class Dl4jBaselineInference implements InferenceRun {
    private final MultiLayerNetwork forecaster;
    private final MultiLayerNetwork charModel;
    private final Tensor one;
    private final Tensor many;
    private final float[] context;
    private final int steps;
    private final int vocab;
    private int nextId;

    public Dl4jBaselineInference(boolean small) {
        Workload.Sizes w1b = Workload.W1B.sizes(small);
        Workload.Sizes w2 = Workload.W2.sizes(small);
        forecaster = Dl4jBaselineNets.create(Workload.W1B, w1b);
        charModel = Dl4jBaselineNets.create(Workload.W2, w2);
        int batch = small ? 8 : SyntheticData.PREDICT_BATCH;
        many = SyntheticData.predictWindows(batch, w1b.steps());
        one = many.sliceRows(0, 1);
        context = Dl4jBaselineTraining.floats(
                SyntheticData.predictContext(w2.steps(), w2.vocab()).intView());
        steps = w2.steps();
        vocab = w2.vocab();
        nextId = (int) context[context.length - 1];
    }

    private float[] forecast(Tensor windows) {
        INDArray in = Nd4j.create(windows.floatView(), new long[] {windows.dim(0), 1, windows.dim(1)}, 'c');
        return forecaster.output(in).toFloatVector();
    }

    @Override
    public float forecastOne() {
        return forecast(one)[0];
    }

    @Override
    public float forecastBatch() {
        float[] out = forecast(many);
        return out[out.length - 1];
    }

    @Override
    public int nextCharacter() {
        INDArray in = Nd4j.create(context, new long[] {1, steps}, 'c');
        // [1, vocab, steps]: the last step's probabilities are column steps - 1.
        return InferenceRun.argmax(
                charModel.output(in).reshape(vocab, steps).getColumn(steps - 1).toFloatVector());
    }

    @Override
    public boolean hasGenerationStep() {
        return true;
    }

    @Override
    public int generationStep() {
        INDArray in = Nd4j.create(new float[] {nextId}, new long[] {1, 1}, 'c');
        nextId = InferenceRun.argmax(charModel.rnnTimeStep(in).reshape(vocab).toFloatVector());
        return nextId;
    }

    @Override
    public void close() {
        // ND4J-managed arrays; nothing to close.
    }
}
