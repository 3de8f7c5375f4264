package org.rnn4j.api.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;

/**
 * A training step on several cores by its rows: the batch is cut into consecutive parts, each part
 * runs forwards and backwards on its own thread through its lane (an engine's program: one per part
 * where a program serializes its calls, as DL4J's; the same one where it runs calls at once, as
 * TensorFlow's), and the results are joined: the loss and every gradient as the parts' values
 * weighted by their share of the rows, the output row by row. The recurrent chain of a step is
 * sequential, so a second core otherwise only helps inside each (small) product or beside the chain;
 * split by rows, each core runs a whole chain.
 *
 * <p>Exact up to float rounding, because every term of the loss is linear in the rows: the loss is
 * a mean over the rows (times their sample weights, never divided by their sum), a weight
 * penalty is the same in every part (and the shares add up to 1), and an activity penalty is a mean
 * over the rows too. A model whose step reports batch statistics (BatchNormalization) is never split:
 * its statistics are of the whole batch; the first step of such a model runs whole and says so. Fixed
 * parts keep a step bit-identical run after run on the same machine.
 *
 * <p>Everything else (predict, evaluate, stream steps, truncated-BPTT segments) runs whole on the
 * first lane.
 *
 * <p>On by default on more than one core ({@link #parts()}); {@value #PROPERTY}{@code =false} turns
 * it off.
 *
 * <p>An engine may need other settings for split steps than for whole calls (DL4J: one BLAS thread
 * per part). It hands in two actions: {@code toSplit} runs before every split step, {@code toWhole}
 * before every call that runs whole and at close; each is expected to cost nothing when the
 * settings are already right, so a run of split steps changes them once, not twice a step. Where
 * those settings are the process's (DL4J's), they stay between a run of split steps and the next
 * whole call: see the engine.
 */
public final class SplitProgram extends CheckedProgram {
    /** The system property that turns splitting off ({@code false}); on by default. */
    public static final String PROPERTY = "rnn4j.splitBatch";

    /** The most parts a training step's batch is split into. */
    public static final int MAX_PARTS = 8;

    /** The fewest rows a part gets: a step of fewer rows is not split (or split into fewer parts). */
    static final int MIN_ROWS = 16;

    /**
     * The least recurrent work a part's time step must have (its rows times the model's recurrent
     * products per row and step, in FLOPs) for the batch to be split. Measured on 2 cores
     * (BENCHMARKS.md, round five): on DL4J ({@code Harness}, split against whole, medians of 3
     * epochs, two runs each) W2 (LSTM(256), 32 rows a part: 16.8 MFLOP) 233 and 280 against 185
     * and 201 samples/s; W1b (two LSTM(50), 16 rows: 0.64 MFLOP) 579 and 484 against 756 and
     * 692; W1 (SimpleRNN(10), 16 rows: 3.2 kFLOP) 2,493 and 2,825 against 8,065 and 7,053. Small
     * steps lose more to the handing over (and on DL4J to OpenBLAS's thread count switching) than
     * the second core gives back. On TensorFlow W2 trained 622 samples/s split against 545
     * whole ({@code Harness}, 3 epochs of 16 batches).
     */
    static final double MIN_PART_FLOPS = 4e6;

    private final List<Program> parts;
    private final String engine;
    private final Runnable toSplit;
    private final Runnable toWhole;
    private final Runnable onClose;
    /** The model's recurrent FLOPs per row and time step ({@link #recurrentFlopsPerRow}), fixed by the spec. */
    private final double flopsPerRow;

    private ExecutorService pool;
    /** Null until the first training step tells whether the model reports batch statistics. */
    private Boolean splittable;

    private boolean closed;

    /**
     * @param engine  the engine's id, for messages
     * @param lanes   the programs the parts run on, one per part (at least 2), each compiled from
     *                {@code spec}; the same program may stand in several places if it runs calls at once
     * @param toSplit run before the parts of every split step (the engine's settings for split steps,
     *                e.g. one BLAS thread per part); cheap when they are already set
     * @param toWhole run before every call that runs whole, and at close, before the lanes close (the
     *                engine's settings back); cheap when they are already set
     * @param onClose called once when this program closes, after its lanes
     */
    public SplitProgram(
            ModelSpec spec,
            String engine,
            List<? extends Program> lanes,
            Runnable toSplit,
            Runnable toWhole,
            Runnable onClose) {
        super(spec);
        if (lanes.size() < 2) {
            throw new IllegalArgumentException("a split program needs at least 2 lanes, got " + lanes.size());
        }
        this.parts = List.copyOf(lanes);
        this.engine = engine;
        this.toSplit = toSplit;
        this.toWhole = toWhole;
        this.onClose = onClose;
        this.flopsPerRow = recurrentFlopsPerRow(spec);
    }

    /**
     * How many parts a training step's batch may be split into here: one per core (at most {@value
     * #MAX_PARTS}), or 1 when {@value #PROPERTY} is {@code false}.
     */
    public static int parts() {
        if (!OnOff.parse("system property " + PROPERTY, System.getProperty(PROPERTY), true, null)) {
            return 1;
        }
        return Math.min(MAX_PARTS, Runtime.getRuntime().availableProcessors());
    }

    /** How many parts a batch of {@code rows} is cut into (1: it runs whole). */
    public int partsFor(int rows) {
        return parts(flopsPerRow, rows, parts.size());
    }

    /**
     * The rule: the most parts, up to {@code most}, that leave every part at least {@value
     * #MIN_ROWS} rows and {@value #MIN_PART_FLOPS} FLOPs of recurrent products a time step; 1 when
     * even two parts would not.
     */
    public static int parts(ModelSpec spec, int rows, int most) {
        return parts(recurrentFlopsPerRow(spec), rows, most);
    }

    private static int parts(double perRow, int rows, int most) {
        int k = Math.min(most, rows / MIN_ROWS);
        while (k >= 2) {
            int smallest = rows / k; // the smallest part's rows
            if (smallest * perRow >= MIN_PART_FLOPS) {
                break;
            }
            k--;
        }
        return Math.max(1, k);
    }

    /** The FLOPs of one row's recurrent products {@code h.U} in one time step, over every recurrent layer. */
    public static double recurrentFlopsPerRow(ModelSpec spec) {
        double flops = 0;
        for (org.rnn4j.api.layers.LayerSpec l : spec.layers()) {
            org.rnn4j.api.layers.LayerSpec r = l;
            int directions = 1;
            if (l instanceof org.rnn4j.api.layers.BidirectionalSpec b) {
                r = b.layer();
                directions = 2;
            }
            if (r instanceof org.rnn4j.api.layers.RecurrentSpec rec) {
                int gates = rec instanceof org.rnn4j.api.layers.LstmSpec
                        ? 4
                        : rec instanceof org.rnn4j.api.layers.GruSpec ? 3 : 1;
                flops += directions * 2.0 * rec.units() * gates * rec.units();
            }
        }
        return flops;
    }

    @Override
    protected Tensor runPredict(Tensor input, int steps, WeightStore weights) {
        toWhole.run();
        return parts.get(0).predict(input, weights);
    }

    @Override
    protected Evaluation runEvaluate(Tensor input, int steps, Tensor target, Tensor sampleWeight, WeightStore weights) {
        toWhole.run();
        return parts.get(0).evaluate(input, target, sampleWeight, weights);
    }

    @Override
    protected Advance runAdvance(Tensor input, RecurrentState from, WeightStore weights) {
        toWhole.run();
        return parts.get(0).advance(input, from, weights);
    }

    @Override
    protected SegmentResult runTrainSegment(
            Tensor input,
            int steps,
            Tensor target,
            RecurrentState from,
            WeightStore weights,
            Map<String, Tensor> noise,
            int backwardSteps) {
        toWhole.run();
        return parts.get(0).trainSegment(input, target, from, weights, noise, backwardSteps);
    }

    @Override
    protected synchronized StepResult runTrainStep(
            Tensor input,
            int steps,
            Tensor target,
            Tensor sampleWeight,
            WeightStore weights,
            Map<String, Tensor> noise) {
        if (closed) {
            throw new IllegalStateException(
                    "the " + engine + " program of model '" + spec.name() + "' is closed; compile the model again");
        }
        int rows = input.dim(0);
        int k = partsFor(rows);
        if (splittable == null || !splittable || k < 2) {
            toWhole.run();
            StepResult whole = parts.get(0).trainStep(input, target, sampleWeight, weights, noise);
            if (splittable == null) {
                splittable = whole.batchStats().isEmpty();
            }
            return whole;
        }
        toSplit.run();
        return split(input, target, sampleWeight, weights, noise, rows, k);
    }

    private StepResult split(
            Tensor input,
            Tensor target,
            Tensor sampleWeight,
            WeightStore weights,
            Map<String, Tensor> noise,
            int rows,
            int k) {
        int[] from = new int[k + 1];
        for (int p = 0; p < k; p++) {
            from[p + 1] = from[p] + rows / k + (p < rows % k ? 1 : 0);
        }
        List<Future<StepResult>> others = new ArrayList<>();
        for (int p = 1; p < k; p++) {
            Program part = parts.get(p);
            int a = from[p];
            int b = from[p + 1];
            others.add(pool().submit(() -> part.trainStep(
                    rows(input, a, b), rows(target, a, b), rows(sampleWeight, a, b), weights, rows(noise, a, b))));
        }
        StepResult[] results = new StepResult[k];
        RuntimeException failure = null;
        try {
            results[0] = parts.get(0)
                    .trainStep(
                            rows(input, 0, from[1]),
                            rows(target, 0, from[1]),
                            rows(sampleWeight, 0, from[1]),
                            weights,
                            rows(noise, 0, from[1]));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int p = 1; p < k; p++) {
            try {
                results[p] = others.get(p - 1).get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (failure == null) {
                    failure = cause instanceof RuntimeException r
                            ? r
                            : new BackendException(engine, "a part of the training step failed: " + cause, cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = new BackendException(engine, "interrupted while a part of the training step ran", e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return join(results, from, rows);
    }

    /** The parts' results as the whole batch's: shares of the rows weigh the loss and gradients. */
    private static StepResult join(StepResult[] results, int[] from, int rows) {
        double loss = 0;
        Map<String, float[]> sums = new LinkedHashMap<>();
        for (int p = 0; p < results.length; p++) {
            double share = (from[p + 1] - from[p]) / (double) rows;
            loss += share * results[p].loss();
            for (Map.Entry<String, Tensor> e : results[p].gradients().entrySet()) {
                float[] g = e.getValue().floatView();
                float[] sum = sums.computeIfAbsent(e.getKey(), n -> new float[g.length]);
                for (int i = 0; i < g.length; i++) {
                    sum[i] += (float) (share * g[i]);
                }
            }
        }
        Map<String, Tensor> gradients = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : results[0].gradients().entrySet()) {
            gradients.put(
                    e.getKey(), Tensor.wrap(sums.get(e.getKey()), e.getValue().shape()));
        }
        return new StepResult(loss, joinRows(results), Collections.unmodifiableMap(gradients), Map.of());
    }

    /** The parts' outputs one after the other, as one batch. */
    private static Tensor joinRows(StepResult[] results) {
        int[] shape = results[0].output().shape().clone();
        int total = 0;
        int length = 0;
        for (StepResult r : results) {
            total += r.output().dim(0);
            length += r.output().size();
        }
        float[] data = new float[length];
        int at = 0;
        for (StepResult r : results) {
            float[] part = r.output().floatView();
            System.arraycopy(part, 0, data, at, part.length);
            at += part.length;
        }
        shape[0] = total;
        return Tensor.wrap(data, shape);
    }

    private static Tensor rows(Tensor t, int from, int to) {
        return t == null ? null : t.sliceRows(from, to);
    }

    private static Map<String, Tensor> rows(Map<String, Tensor> noise, int from, int to) {
        Map<String, Tensor> part = new LinkedHashMap<>();
        noise.forEach((name, t) -> part.put(name, t.sliceRows(from, to)));
        return part;
    }

    private ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(parts.size() - 1, r -> {
                Thread t = new Thread(r, "rnn4j-" + engine + "-part");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /** The lane whole steps run on. */
    public Program first() {
        return parts.get(0);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
        }
        RuntimeException failure = null;
        try {
            toWhole.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        java.util.Set<Program> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        distinct.addAll(parts);
        for (Program p : distinct) {
            try {
                p.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        onClose.run();
        if (failure != null) {
            throw failure;
        }
    }
}
