package org.rnn4j.bench.rnn4j;

import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bench.InferenceRun;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.Workload;
import org.rnn4j.bootstrap.Rnn4j;

/**
 * Workload P through {@code Model.predict}. The next character is what {@code rnn4j generate}
 * does per character: predict on the last 100 ids, take the last step's probabilities. The
 * generation step is {@code Model.stream(1)}: one id per call, the recurrent state carried by the
 * engine's program between calls ({@code Program.advance}), as the hand-written step graphs do.
 */
public final class Rnn4jInference implements InferenceRun {
    private final Backend backend;
    private final Model forecaster;
    private final Model charModel;
    private final Tensor one;
    private final Tensor many;
    private final Tensor context;
    private final int vocab;
    private final org.rnn4j.api.Stream stream;
    private int nextId;

    public Rnn4jInference(String backendId, boolean small) {
        Workload.Sizes w1b = Workload.W1B.sizes(small);
        Workload.Sizes w2 = Workload.W2.sizes(small);
        this.backend = Rnn4j.backend(backendId);
        Model f = null;
        try {
            f = Model.create(Rnn4jModels.spec(Workload.W1B, w1b), backend, SyntheticData.SEED);
            this.charModel = Model.create(Rnn4jModels.spec(Workload.W2, w2), backend, SyntheticData.SEED);
        } catch (RuntimeException e) {
            if (f != null) {
                f.close();
            }
            backend.close();
            throw e;
        }
        this.forecaster = f;
        int batch = small ? 8 : SyntheticData.PREDICT_BATCH;
        this.many = SyntheticData.predictWindows(batch, w1b.steps());
        this.one = many.sliceRows(0, 1);
        this.context = SyntheticData.predictContext(w2.steps(), w2.vocab());
        this.vocab = w2.vocab();
        this.stream = charModel.stream(1);
        this.nextId = context.intView()[context.dim(1) - 1];
    }

    @Override
    public float forecastOne() {
        return forecaster.predict(one).floatView()[0];
    }

    @Override
    public float forecastBatch() {
        float[] out = forecaster.predict(many).floatView();
        return out[out.length - 1];
    }

    @Override
    public int nextCharacter() {
        float[] probs = charModel.predict(context).floatView();
        int best = probs.length - vocab;
        for (int i = probs.length - vocab; i < probs.length; i++) {
            if (probs[i] > probs[best]) {
                best = i;
            }
        }
        return best - (probs.length - vocab);
    }

    @Override
    public boolean hasGenerationStep() {
        return true;
    }

    @Override
    public int generationStep() {
        nextId = InferenceRun.argmax(
                stream.step(Tensor.ofInts(new int[] {nextId}, 1)).floatView());
        return nextId;
    }

    @Override
    public void close() {
        try {
            forecaster.close();
            charModel.close();
        } finally {
            backend.close();
        }
    }
}
