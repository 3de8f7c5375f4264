package org.rnn4j.bench.tf;

import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bench.InferenceRun;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.Workload;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Workload P in plain TensorFlow Java, in one of the {@link TfForm}s: W1b's forward graph with a
 * free batch dimension (one graph for 1 and 1,024 windows); W2's forward graph that computes
 * Dense + softmax only for the last step, which is all that generating one character from a
 * context needs; and W2's one-step graph for generation with the state carried between
 * characters (the state's tensors are fed back as they came out, never copied to Java). Each
 * call makes its input tensor from a Java array and copies the output back, as rnn4j's
 * {@code predict} must.
 */
public final class TfBaselineInference implements InferenceRun {
    private final Graph forecastGraph;
    private final Session forecastSession;
    private final Placeholder<TFloat32> windows;
    private final Operand<TFloat32> forecast;
    private final Graph charGraph;
    private final Session charSession;
    private final Placeholder<TInt32> context;
    private final Operand<TFloat32> probabilities;
    private final Placeholder<TInt32> stepId;
    private final Placeholder<TFloat32> stepH;
    private final Placeholder<TFloat32> stepC;
    private final TfBaselineNet.Step step;
    private final Tensor one;
    private final Tensor many;
    private final Tensor ids;
    private final int units;
    /**
     * A generation step runs on the calling thread (TensorFlow's {@code inter_op_thread_pool = -1}):
     * handing 20 small ops to the inter-op pool and back costs more than they do. Measured in one
     * JVM, medians of 5,000 calls: 45-48 microseconds a step this way against 71-88 through the pool
     * (2026-12-06); rnn4j's one-step pieces run this way too, so the baseline does the same.
     */
    static final RunOptions IN_CALLER_THREAD =
            RunOptions.newBuilder().setInterOpThreadPool(-1).build();
    /** How generation steps run: {@link #IN_CALLER_THREAD}, or null for the inter-op pool. */
    private final RunOptions stepOptions;
    /** The last generation step's outputs (probabilities, h, c), kept open to feed its state to the next. */
    private Result lastStep;

    private int nextId;

    public TfBaselineInference(boolean small, TfForm form) {
        this(small, form, true);
    }

    /**
     * @param callerThread whether the generation step runs on the calling thread (the faster way,
     *                     and the one every benchmark row uses) or through the inter-op pool
     */
    TfBaselineInference(boolean small, TfForm form, boolean callerThread) {
        this.stepOptions = callerThread ? IN_CALLER_THREAD : null;
        Workload.Sizes w1b = Workload.W1B.sizes(small);
        Workload.Sizes w2 = Workload.W2.sizes(small);
        forecastGraph = new Graph();
        charGraph = new Graph();
        try {
            TfBaselineNet f = new TfBaselineNet(forecastGraph, Workload.W1B, w1b, form);
            windows = f.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, w1b.steps(), 1)));
            forecast = f.forward(windows, true);
            forecastSession = new Session(forecastGraph, TfBaselineConfig.config());
            forecastSession.initialize();
            TfBaselineNet c = new TfBaselineNet(charGraph, Workload.W2, w2, form);
            context = c.tf().placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, w2.steps())));
            probabilities = c.forward(context, true);
            stepId = c.tf().placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            stepH = c.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, w2.units())));
            stepC = c.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, w2.units())));
            step = c.step(stepId, stepH, stepC);
            charSession = new Session(charGraph, TfBaselineConfig.config());
            charSession.initialize();
        } catch (RuntimeException | Error e) {
            forecastGraph.close();
            charGraph.close();
            throw e;
        }
        int batch = small ? 8 : SyntheticData.PREDICT_BATCH;
        many = SyntheticData.predictWindows(batch, w1b.steps());
        one = many.sliceRows(0, 1);
        ids = SyntheticData.predictContext(w2.steps(), w2.vocab());
        units = w2.units();
        nextId = ids.intView()[ids.dim(1) - 1];
    }

    private float[] runForecast(Tensor input) {
        try (TFloat32 in = TFloat32.tensorOf(
                        Shape.of(input.dim(0), input.dim(1), 1), DataBuffers.of(input.floatView(), true, false));
                Result r = forecastSession
                        .runner()
                        .feed(windows, in)
                        .fetch(forecast)
                        .run()) {
            TFloat32 out = (TFloat32) r.get(0);
            float[] values = new float[Math.toIntExact(out.shape().size())];
            out.copyTo(DataBuffers.of(values, false, false));
            return values;
        }
    }

    @Override
    public float forecastOne() {
        return runForecast(one)[0];
    }

    @Override
    public float forecastBatch() {
        float[] out = runForecast(many);
        return out[out.length - 1];
    }

    @Override
    public int nextCharacter() {
        try (TInt32 in = TInt32.tensorOf(Shape.of(1, ids.dim(1)), DataBuffers.of(ids.intView(), true, false));
                Result r = charSession
                        .runner()
                        .feed(context, in)
                        .fetch(probabilities)
                        .run()) {
            return argmax((TFloat32) r.get(0));
        }
    }

    @Override
    public boolean hasGenerationStep() {
        return true;
    }

    @Override
    public int generationStep() {
        Result previous = lastStep;
        try (TInt32 id = TInt32.vectorOf(nextId);
                TFloat32 zeros = previous == null ? TFloat32.tensorOf(Shape.of(1, units)) : null) {
            Session.Runner runner = charSession.runner();
            if (stepOptions != null) {
                runner.setOptions(stepOptions);
            }
            Result r = runner.feed(stepId, id)
                    .feed(stepH, previous == null ? zeros : previous.get(1))
                    .feed(stepC, previous == null ? zeros : previous.get(2))
                    .fetch(step.probabilities())
                    .fetch(step.h())
                    .fetch(step.c())
                    .run();
            lastStep = r;
            nextId = argmax((TFloat32) r.get(0));
            return nextId;
        } finally {
            if (previous != null) {
                previous.close();
            }
        }
    }

    private static int argmax(TFloat32 out) {
        float[] p = new float[Math.toIntExact(out.shape().size())];
        out.copyTo(DataBuffers.of(p, false, false));
        return InferenceRun.argmax(p);
    }

    @Override
    public void close() {
        try {
            if (lastStep != null) {
                lastStep.close();
            }
            forecastSession.close();
            charSession.close();
        } finally {
            forecastGraph.close();
            charGraph.close();
        }
    }
}
