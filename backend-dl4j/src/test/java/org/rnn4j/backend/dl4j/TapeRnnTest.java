package org.rnn4j.backend.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.graph.BuiltGraph;
import org.rnn4j.api.graph.BuiltPiece;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.graph.NoiseSpec;
import org.rnn4j.api.graph.Piece;
import org.rnn4j.api.graph.SequencePlan;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.weights.WeightStore;
import org.rnn4j.backend.dl4j.TapeOps.Node;

/**
 * The fused SimpleRNN and GRU nodes ({@link TapeRnn}), and the LSTM's ({@link TapeLstm}) where they
 * share the recall of remembered chunks, against ModelGraph's unrolled ops for the same layers: two implementations of one set of equations must give the same loss, outputs and
 * gradients (weights, inputs, entry states), in whole-sequence graphs and in pieces of a long
 * sequence.
 */
class TapeRnnTest {

    private static final float TOLERANCE = 2e-6f;

    private static RecurrentSpec cell(String kind, int units) {
        return switch (kind) {
            case "simple_rnn" -> Layers.simpleRnn(units);
            case "gru" -> Layers.gru(units).resetAfter(false);
            case "gru_reset_after" -> Layers.gru(units).resetAfter(true);
            case "lstm" -> Layers.lstm(units);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Two stacked layers (a sequence into the last step), the first with dropout on its input. */
    private static ModelSpec stacked(String kind, boolean useBias, int steps) {
        return Sequential.builder()
                .input(steps, 2)
                .add(cell(kind, 4).returnSequences(true).useBias(useBias).dropout(0.25))
                .add(cell(kind, 3).useBias(useBias))
                .add(Layers.dense(2))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
    }

    /** A Bidirectional layer (its forward direction fused) under a sequence-output layer. */
    private static ModelSpec bidirectional(String kind, int steps) {
        return Sequential.builder()
                .input(steps, 2)
                .add(Layers.bidirectional(cell(kind, 3).returnSequences(true)))
                .add(cell(kind, 2).returnSequences(true))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
    }

    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : List.of("simple_rnn", "gru", "gru_reset_after", "lstm")) {
            out.add(Arguments.of(kind, "stacked, bias", stacked(kind, true, 6)));
            out.add(Arguments.of(kind, "stacked, no bias", stacked(kind, false, 6)));
            out.add(Arguments.of(kind, "stacked, one step", stacked(kind, true, 1)));
            out.add(Arguments.of(kind, "bidirectional", bidirectional(kind, 5)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("models")
    void wholeSequenceGraphsAgree(String kind, String shape, ModelSpec spec) {
        int steps = spec.inputShape().get(0);
        WeightStore w = Dl4jProgramTest.randomWeights(spec, 17);
        Map<String, float[]> fused = new LinkedHashMap<>();
        Map<String, float[]> unrolled = new LinkedHashMap<>();
        for (boolean fuse : new boolean[] {true, false}) {
            Map<String, float[]> into = fuse ? fused : unrolled;
            try (TapeGraph g = TapeGraph.forModel(spec, ModelGraph.Mode.TRAINING, steps, true, fuse)) {
                assertEquals(fuse ? 2 : 0, g.fusedNodeCount(), "fused nodes");
                g.upload(w);
                BuiltGraph<Node> b = g.built();
                Random r = new Random(3);
                Map<Node, INDArray> feed = new LinkedHashMap<>();
                feed.put(b.input(), random(r, 4, b.input().shape()));
                feed.put(b.target(), random(r, 4, b.target().shape()));
                for (NoiseSpec n : b.noiseSpecs()) {
                    feed.put(b.noise().get(n.name()), mask(r, n, 4));
                }
                try (TapeGraph.Run run = g.forward(feed)) {
                    run.backward(b.loss());
                    into.put("loss", values(run.value(b.loss())));
                    into.put("output", values(run.value(b.output())));
                    for (WeightSpec ws : spec.weights()) {
                        INDArray grad = run.gradient(ws.name());
                        // Unrolled over one step, a recurrent kernel is never used: no gradient, i.e. zeros.
                        into.put(ws.name(), grad == null ? new float[(int) ws.size()] : values(grad));
                    }
                } finally {
                    feed.values().forEach(INDArray::close);
                }
            }
        }
        assertSame(unrolled, fused, "fused");
        for (WeightSpec ws : spec.weights()) {
            if (ws.name().endsWith("/kernel") && !ws.name().startsWith("dense")) {
                float[] grad = fused.get(ws.name());
                assertFalse(Arrays.equals(new float[grad.length], grad), ws.name() + ": all-zero gradient");
            }
        }
    }

    static Stream<Arguments> pieces() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : List.of("simple_rnn", "gru", "gru_reset_after", "lstm")) {
            out.add(Arguments.of(kind, "stacked", stacked(kind, true, -1)));
            out.add(Arguments.of(kind, "bidirectional", bidirectional(kind, -1)));
        }
        return out.stream();
    }

    /** How a piece runs in {@link #piecesAgree}. */
    enum Variant {
        /** ModelGraph's unrolled ops. */
        UNROLLED,
        /** Fused nodes, each chunk computed step by step. */
        FUSED,
        /** Fused, a forward-only run first remembering the chunk, the backward run recalling it. */
        RECALLED,
        /** Fused, the remembered chunk's entry state differs: the backward run must compute its own. */
        NOT_RECALLED
    }

    /**
     * Every stage of a chunked run, as one piece: fed random entry states and seeded with random
     * gradients for its exits, the fused piece must give the unrolled one's outputs, exit states and
     * gradients of the weights, the chunk's input and the entry states; also when its backward run
     * takes the hidden states a forward-only run remembered ({@link TapeRnn.Recall}), and when it must
     * not take them.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("pieces")
    void piecesAgree(String kind, String shape, ModelSpec spec) {
        SequencePlan plan = SequencePlan.of(spec, ModelGraph.Mode.TRAINING).orElseThrow();
        WeightStore w = Dl4jProgramTest.randomWeights(spec, 23);
        int fusedNodes = 0;
        for (int stage = 0; stage < plan.stages().size(); stage++) {
            Piece piece = Piece.stage(
                    ModelGraph.Mode.TRAINING, stage == plan.stages().size() - 1 && !plan.hasHead(), stage, 4);
            Map<Variant, Map<String, float[]>> results = new LinkedHashMap<>();
            for (Variant v : Variant.values()) {
                Map<String, float[]> into = new LinkedHashMap<>();
                results.put(v, into);
                boolean fuse = v != Variant.UNROLLED;
                try (TapeGraph g = TapeGraph.forPiece(spec, piece, fuse)) {
                    if (v == Variant.FUSED) {
                        fusedNodes += (int) g.fusedNodeCount();
                    } else if (!fuse) {
                        assertEquals(0, g.fusedNodeCount());
                    }
                    g.upload(w);
                    BuiltPiece<Node> b = g.piece();
                    Random r = new Random(7);
                    Map<Node, INDArray> feed = new LinkedHashMap<>();
                    for (Map.Entry<String, Node> e : b.inputs().entrySet()) {
                        feed.put(e.getValue(), random(r, 3, e.getValue().shape()));
                    }
                    Map<Node, INDArray> seeds = new LinkedHashMap<>();
                    for (String s : b.seeds()) {
                        Node n = b.outputs().get(s);
                        seeds.put(n, s.equals("loss") ? Nd4j.scalar(1f) : random(r, 3, n.shape()));
                    }
                    List<Node> needed = new ArrayList<>(b.outputs().values());
                    if (v == Variant.RECALLED || v == Variant.NOT_RECALLED) {
                        Map<Node, INDArray> first = new LinkedHashMap<>(feed);
                        if (v == Variant.NOT_RECALLED) {
                            for (Map.Entry<String, Node> e : b.inputs().entrySet()) {
                                if (e.getKey().endsWith("/h")) {
                                    first.put(
                                            e.getValue(), feed.get(e.getValue()).add(1e-3f));
                                }
                            }
                        }
                        g.forward(first, needed, TapeRnn.Recall.REMEMBER).close();
                        first.values().removeAll(feed.values());
                        first.values().forEach(INDArray::close);
                        // Another chunk in between overwrites the working arrays, as in a real sweep.
                        Random other = new Random(99);
                        Map<Node, INDArray> decoy = new LinkedHashMap<>();
                        for (Node n : b.inputs().values()) {
                            decoy.put(n, random(other, 3, n.shape()));
                        }
                        g.forward(decoy, needed, TapeRnn.Recall.NONE).close();
                        decoy.values().forEach(INDArray::close);
                    }
                    try (TapeGraph.Run run = g.forward(feed, needed, TapeRnn.Recall.RECALL)) {
                        run.backward(seeds);
                        for (Map.Entry<String, Node> e : b.outputs().entrySet()) {
                            into.put("output " + e.getKey(), values(run.value(e.getValue())));
                        }
                        for (WeightSpec ws : spec.weights()) {
                            INDArray grad = run.gradient(ws.name());
                            if (grad != null) {
                                into.put(ws.name(), values(grad));
                            }
                        }
                        for (String d : b.differentiable()) {
                            INDArray grad = run.gradient(b.inputs().get(d));
                            assertNotNull(grad, "no gradient for input " + d);
                            into.put("input " + d, values(grad));
                        }
                    } finally {
                        feed.values().forEach(INDArray::close);
                        seeds.values().forEach(INDArray::close);
                    }
                    long expected = v == Variant.RECALLED ? g.fusedNodeCount() : 0;
                    assertEquals(expected, g.recalledChunks(), v + ": chunks recalled");
                }
            }
            Map<String, float[]> unrolled = results.get(Variant.UNROLLED);
            assertTrue(
                    unrolled.keySet().stream().anyMatch(k -> k.startsWith("input ") && k.endsWith("/h")),
                    "stage " + stage + " has no entry state gradient: " + unrolled.keySet());
            for (Variant v : List.of(Variant.FUSED, Variant.RECALLED, Variant.NOT_RECALLED)) {
                assertSame(unrolled, results.get(v), v.toString());
            }
        }
        assertTrue(fusedNodes > 0, "no fused node in any piece");
    }

    private static void assertSame(Map<String, float[]> expected, Map<String, float[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            float[] e = expected.get(k);
            float[] a = actual.get(k);
            assertEquals(e.length, a.length, k);
            for (int i = 0; i < e.length; i++) {
                float tol = TOLERANCE * Math.max(1f, Math.abs(e[i]));
                if (!(Math.abs(e[i] - a[i]) <= tol)) {
                    throw new AssertionError(k + "[" + i + "]: unrolled " + e[i] + ", " + what + " " + a[i]);
                }
            }
        }
    }

    private static float[] values(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    /** Uniform in [-1, 1) of {@code shape} with the batch ({@code -1}) set to {@code batch}. */
    private static INDArray random(Random r, int batch, long[] shape) {
        long[] s = shape.clone();
        int size = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                s[i] = batch;
            }
            size *= (int) s[i];
        }
        float[] v = new float[size];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextFloat() - 1;
        }
        return s.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, s, 'c');
    }

    /** A dropout mask as the api draws one: 0 or {@code 1/(1-rate)}. */
    private static INDArray mask(Random r, NoiseSpec n, int batch) {
        int[] shape = n.shapeWithBatch(batch);
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[size];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() < n.rate() ? 0f : (float) (1 / (1 - n.rate()));
        }
        return Nd4j.create(v, Arrays.stream(shape).asLongStream().toArray(), 'c');
    }
}
