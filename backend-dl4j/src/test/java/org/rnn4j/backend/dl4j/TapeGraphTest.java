package org.rnn4j.backend.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.graph.ModelGraph;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.weights.WeightStore;
import org.rnn4j.backend.dl4j.TapeOps.Node;

/**
 * The eager executor op by op: every op's gradient against central finite differences of its own
 * forward pass, values against hand-computed numbers, and the fused LSTM node against the same
 * layer unrolled into plain ops.
 */
class TapeGraphTest {

    /** Values away from the kinks of relu, abs, min and max: |x| in [0.1, 1). */
    private static float[] awayFromZero(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextBoolean() ? 1 : -1) * (0.1f + 0.9f * r.nextFloat());
        }
        return a;
    }

    private static float[] positive(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = 0.5f + r.nextFloat();
        }
        return a;
    }

    /**
     * One op under test: its weights (shape, whether strictly positive) and how to build it.
     * The loss is {@code meanAll(out * R)} with a fixed random {@code R}, so every output element
     * has its own weight in the gradient.
     */
    record OpCase(String name, int[][] shapes, boolean positive, Function<Ctx, Node> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Ctx(TapeOps ops, List<Node> w) {
        Node w(int i) {
            return w.get(i);
        }
    }

    static Stream<Arguments> ops() {
        int[][] two = {{3, 4}, {3, 4}};
        List<OpCase> cases = List.of(
                new OpCase(
                        "matmul",
                        new int[][] {{3, 4}, {4, 2}},
                        false,
                        c -> c.ops().matmul(c.w(0), c.w(1))),
                new OpCase(
                        "add broadcast",
                        new int[][] {{2, 3, 4}, {4}},
                        false,
                        c -> c.ops().add(c.w(0), c.w(1))),
                new OpCase(
                        "sub broadcast",
                        new int[][] {{2, 1, 4}, {2, 3, 4}},
                        false,
                        c -> c.ops().sub(c.w(0), c.w(1))),
                new OpCase(
                        "mul broadcast",
                        new int[][] {{3, 4}, {3, 1}},
                        false,
                        c -> c.ops().mul(c.w(0), c.w(1))),
                new OpCase("div", two, true, c -> c.ops().div(c.w(0), c.w(1))),
                new OpCase(
                        "scalar - x, 1 / x",
                        new int[][] {{3, 4}},
                        true,
                        c -> c.ops()
                                .add(
                                        c.ops().sub(c.ops().scalar(2f), c.w(0)),
                                        c.ops().div(c.ops().scalar(1f), c.w(0)))),
                new OpCase(
                        "minimum, maximum",
                        two,
                        false,
                        // 2*min + max: the smaller operand's gradient is 2r, the larger one's r
                        c -> c.ops()
                                .add(
                                        c.ops()
                                                .mul(
                                                        c.ops().minimum(c.w(0), c.w(1)),
                                                        c.ops().scalar(2f)),
                                        c.ops().maximum(c.w(0), c.w(1)))),
                new OpCase(
                        "clip by scalars",
                        new int[][] {{3, 4}},
                        false,
                        c -> c.ops()
                                .minimum(
                                        c.ops().maximum(c.w(0), c.ops().scalar(-0.5f)),
                                        c.ops().scalar(0.5f))),
                new OpCase("tanh", new int[][] {{3, 4}}, false, c -> c.ops().tanh(c.w(0))),
                new OpCase("sigmoid", new int[][] {{3, 4}}, false, c -> c.ops().sigmoid(c.w(0))),
                new OpCase("relu", new int[][] {{3, 4}}, false, c -> c.ops().relu(c.w(0))),
                new OpCase("exp", new int[][] {{3, 4}}, false, c -> c.ops().exp(c.w(0))),
                new OpCase("log", new int[][] {{3, 4}}, true, c -> c.ops().log(c.w(0))),
                new OpCase("abs", new int[][] {{3, 4}}, false, c -> c.ops().abs(c.w(0))),
                new OpCase("square", new int[][] {{3, 4}}, false, c -> c.ops().square(c.w(0))),
                new OpCase("sqrt", new int[][] {{3, 4}}, true, c -> c.ops().sqrt(c.w(0))),
                new OpCase("softplus", new int[][] {{3, 4}}, false, c -> c.ops().softplus(c.w(0))),
                new OpCase("softmax", new int[][] {{3, 4}}, false, c -> c.ops().softmax(c.w(0))),
                new OpCase("slice and split", new int[][] {{2, 6, 4}}, false, c -> {
                    List<Node> parts = c.ops().split(c.w(0), 1, 3);
                    return c.ops()
                            .add(
                                    c.ops().mul(parts.get(0), parts.get(2)),
                                    c.ops().slice(c.w(0), 1, 1, 2));
                }),
                new OpCase("unstack and stack", new int[][] {{2, 3, 4}}, false, c -> {
                    List<Node> steps = c.ops().unstack(c.w(0), 1, 3);
                    return c.ops().stack(List.of(steps.get(2), c.ops().mul(steps.get(0), steps.get(2))), 1);
                }),
                new OpCase(
                        "transpose then reshape and multiply",
                        new int[][] {{2, 3, 4}, {4, 2, 3}},
                        false,
                        c -> c.ops().reshape(c.ops().mul(c.ops().transpose(c.w(0), 2, 0, 1), c.w(1)), -1, 6)),
                new OpCase(
                        "concat and reshape",
                        new int[][] {{2, 3}, {2, 5}},
                        false,
                        c -> c.ops().reshape(c.ops().concat(List.of(c.w(0), c.w(1), c.w(0)), 1), -1, 2)),
                new OpCase(
                        "sum and mean",
                        new int[][] {{2, 3, 4}},
                        false,
                        c -> c.ops()
                                .add(
                                        c.ops().sum(c.ops().square(c.w(0)), 1, true),
                                        c.ops().mean(c.w(0), -1, true))),
                new OpCase(
                        "sum without keepDims",
                        new int[][] {{2, 3, 4}},
                        false,
                        c -> c.ops()
                                .mul(
                                        c.ops().sum(c.w(0), 0, false),
                                        c.ops().mean(c.ops().square(c.w(0)), 0, false))),
                new OpCase(
                        "meanAll",
                        new int[][] {{3, 4}},
                        false,
                        c -> c.ops().meanAll(c.ops().square(c.w(0)))),
                new OpCase(
                        "max over the middle axis, kept, and the last axis",
                        new int[][] {{2, 3, 4}},
                        false,
                        c -> c.ops()
                                .add(
                                        c.ops().max(c.w(0), 1, true),
                                        c.ops().reshape(c.ops().max(c.w(0), -1, false), 2, 3, 1))),
                new OpCase(
                        "pad with zeros and with a value, then multiply",
                        new int[][] {{2, 3, 4}, {2, 6, 4}},
                        false,
                        c -> c.ops()
                                .mul(
                                        c.ops()
                                                .add(
                                                        c.ops().pad(c.w(0), 1, 2, 1, 0f),
                                                        c.ops().pad(c.w(0), 1, 0, 3, -2f)),
                                        c.w(1))),
                new OpCase(
                        "a constant and a notEqual mask are constants for the gradient",
                        new int[][] {{2, 3}},
                        false,
                        c -> c.ops()
                                .mul(
                                        c.ops().mul(c.w(0), c.ops().notEqual(c.w(0), 0.5f)),
                                        c.ops().constant(new float[] {1, 2, 3}, 3))));
        return cases.stream().map(Arguments::of);
    }

    private static TapeGraph bare(TapeOps ops, Map<String, Node> weights) {
        return new TapeGraph(ops, null, weights, new ArrayList<>(weights.keySet()), true, List.of());
    }

    private static double loss(TapeGraph g, Node loss, Map<Node, INDArray> feed) {
        try (TapeGraph.Run run = g.forward(feed)) {
            return run.value(loss).getDouble(0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void gradientMatchesFiniteDifferences(OpCase c) {
        TapeOps ops = new TapeOps(false);
        Map<String, Node> weights = new LinkedHashMap<>();
        List<Node> w = new ArrayList<>();
        for (int i = 0; i < c.shapes().length; i++) {
            Node n = ops.weight("w" + i, c.shapes()[i]);
            weights.put("w" + i, n);
            w.add(n);
        }
        Node out = c.build().apply(new Ctx(ops, w));
        int[] outShape =
                java.util.Arrays.stream(out.shape()).mapToInt(Math::toIntExact).toArray();
        Node r = ops.placeholder("r", DType.FLOAT32, outShape);
        Node loss = ops.meanAll(ops.mul(out, r));
        Random rnd = new Random(c.name().hashCode());
        INDArray rArr = Nd4j.create(
                awayFromZero(rnd, (int) java.util.Arrays.stream(out.shape()).reduce(1, (a, b) -> a * b)),
                java.util.Arrays.stream(out.shape()).toArray(),
                'c');
        Map<Node, INDArray> feed = Map.of(r, rArr);
        try (TapeGraph g = bare(ops, weights)) {
            Map<String, float[]> values = new LinkedHashMap<>();
            for (int i = 0; i < w.size(); i++) {
                int n = java.util.Arrays.stream(c.shapes()[i]).reduce(1, (a, b) -> a * b);
                float[] v = c.positive() ? positive(rnd, n) : awayFromZero(rnd, n);
                if (c.name().startsWith("minimum") && i == 1) {
                    float[] a = values.get("w0");
                    for (int j = 0; j < n; j++) {
                        v[j] = a[j] + (j % 2 == 0 ? 0.3f : -0.3f); // apart from w0 by 0.3, either side
                    }
                }
                values.put("w" + i, v);
                g.set("w" + i, v);
            }
            Map<String, float[]> grads = new LinkedHashMap<>();
            try (TapeGraph.Run run = g.forward(feed)) {
                run.backward(loss);
                for (String name : weights.keySet()) {
                    INDArray grad = run.gradient(name);
                    assertNotNull(grad, "no gradient for " + name);
                    assertArrayEquals(weights.get(name).shape(), grad.shape(), name);
                    grads.put(name, grad.dup('c').data().asFloat());
                }
            }
            float h = 1e-2f;
            int nonZero = 0;
            for (String name : weights.keySet()) {
                float[] v = values.get(name);
                for (int j = 0; j < v.length; j++) {
                    float old = v[j];
                    v[j] = old + h;
                    g.set(name, v);
                    double up = loss(g, loss, feed);
                    v[j] = old - h;
                    g.set(name, v);
                    double down = loss(g, loss, feed);
                    v[j] = old;
                    g.set(name, v);
                    double fd = (up - down) / (2 * h);
                    float got = grads.get(name)[j];
                    assertEquals(fd, got, 1e-3 + 1e-2 * Math.abs(fd), c.name() + ": " + name + "[" + j + "]");
                    nonZero += Math.abs(got) > 1e-6 ? 1 : 0;
                }
            }
            assertTrue(nonZero > 0, c.name() + ": every gradient element is zero");
        }
    }

    @Test
    void gatherAddsUpRepeatedIdsAndLeavesAbsentRowsZero() {
        TapeOps ops = new TapeOps(false);
        Node ids = ops.placeholder("ids", DType.INT32, -1, 3);
        Node table = ops.weight("table", 4, 2);
        Node y = ops.gather(table, ids);
        assertArrayEquals(new long[] {-1, 3, 2}, y.shape());
        Node loss = ops.sum(ops.sum(ops.sum(y, -1, false), -1, false), 0, false);
        INDArray idArr = Nd4j.create(new int[] {1, 1, 3}, new long[] {1, 3}, DataType.INT32);
        try (TapeGraph g = bare(ops, Map.of("table", table))) {
            g.set("table", new float[] {1, 2, 3, 4, 5, 6, 7, 8});
            try (TapeGraph.Run run = g.forward(Map.of(ids, idArr))) {
                assertArrayEquals(
                        new float[] {3, 4, 3, 4, 7, 8},
                        run.value(y).dup('c').data().asFloat());
                run.backward(loss);
                assertArrayEquals(
                        new float[] {0, 0, 2, 2, 0, 0, 1, 1},
                        run.gradient("table").dup('c').data().asFloat());
            }
        }
    }

    @Test
    void oneHotNotEqualZeroAndShapes() {
        TapeOps ops = new TapeOps(false);
        Node ids = ops.placeholder("ids", DType.INT32, -1, 3);
        Node oh = ops.oneHot(ids, 3);
        Node nz = ops.notEqualZero(ids);
        Node x = ops.placeholder("x", DType.FLOAT32, -1, 2, 3);
        Node st = ops.stack(List.of(ops.slice(x, 1, 0, 1), ops.slice(x, 1, 1, 1)), 1);
        assertArrayEquals(new long[] {-1, 2, 1, 3}, st.shape());
        assertArrayEquals(new long[] {-1, 2, 6}, ops.concat(List.of(x, x), 2).shape());
        assertThrows(IllegalArgumentException.class, () -> ops.slice(x, 2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> ops.split(x, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> ops.matmul(x, x));
        INDArray idArr = Nd4j.create(new int[] {0, 2, 1}, new long[] {1, 3}, DataType.INT32);
        INDArray xArr = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {1, 2, 3}, 'c');
        try (TapeGraph g = bare(ops, Map.of());
                TapeGraph.Run run = g.forward(Map.of(ids, idArr, x, xArr))) {
            assertEquals(DataType.FLOAT, run.value(oh).dataType());
            assertArrayEquals(
                    new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0},
                    run.value(oh).dup('c').data().asFloat());
            assertArrayEquals(
                    new float[] {0, 1, 1}, run.value(nz).dup('c').data().asFloat());
            assertArrayEquals(new long[] {1, 2, 1, 3}, run.value(st).shape());
        }
    }

    /** Values of the new ops by hand, ties included (max shares its gradient among equal elements, as TensorFlow). */
    @Test
    void maxPadNotEqualAndConstantByHand() {
        TapeOps ops = new TapeOps(false);
        Node x = ops.weight("x", 2, 3);
        Node m = ops.max(x, 1, false);
        Node p = ops.pad(x, 1, 1, 2, -5f);
        Node ne = ops.notEqual(x, 2f);
        Node k = ops.constant(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Node loss = ops.meanAll(ops.add(ops.reshape(m, 2, 1), ops.mul(k, ne)));
        assertArrayEquals(new long[] {2, 6}, p.shape());
        try (TapeGraph g = bare(ops, Map.of("x", x))) {
            g.set("x", new float[] {1, 3, 3, 2, 0, -1});
            try (TapeGraph.Run run = g.forward(Map.of())) {
                assertArrayEquals(
                        new float[] {3, 2}, run.value(m).dup('c').data().asFloat());
                assertArrayEquals(
                        new float[] {-5, 1, 3, 3, -5, -5, -5, 2, 0, -1, -5, -5},
                        run.value(p).dup('c').data().asFloat());
                assertArrayEquals(
                        new float[] {1, 1, 1, 0, 1, 1},
                        run.value(ne).dup('c').data().asFloat());
                run.backward(loss);
                // d/dx of mean over 6 of (max broadcast over 3 columns): each row's max counts 3/6, shared by ties.
                assertArrayEquals(
                        new float[] {0, 0.25f, 0.25f, 0.5f, 0, 0},
                        run.gradient("x").dup('c').data().asFloat(),
                        1e-7f);
            }
        }
    }

    @Test
    void aMissingFeedIsNamed() {
        TapeOps ops = new TapeOps(false);
        Node x = ops.placeholder("input", DType.FLOAT32, -1, 2);
        ops.tanh(x);
        try (TapeGraph g = bare(ops, Map.of())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.forward(Map.of()));
            assertTrue(e.getMessage().contains("'input'"), e.getMessage());
        }
    }

    @Test
    void closingARunFreesEveryArrayItAllocated() {
        ModelSpec spec = lstmStack(true);
        WeightStore w = Dl4jProgramTest.randomWeights(spec, 3);
        try (TapeGraph g = TapeGraph.forModel(spec, ModelGraph.Mode.TRAINING, 5, true)) {
            g.upload(w);
            Map<Node, INDArray> feed = feed(g, 2, 5, 31);
            TapeGraph.Run run = g.forward(feed);
            run.backward(g.built().loss());
            List<INDArray> allocated = run.allocated();
            assertTrue(allocated.size() > 10, "only " + allocated.size() + " arrays recorded");
            run.close();
            for (INDArray a : allocated) {
                assertTrue(
                        !a.closeable() || a.wasClosed(),
                        "an array of shape " + java.util.Arrays.toString(a.shape()) + " was left open");
            }
            assertTrue(allocated.stream().anyMatch(INDArray::wasClosed));
            feed.values().forEach(INDArray::close);
        }
    }

    /** One training run's loss, output and gradients, copied out. */
    private static Map<String, float[]> trainRun(TapeGraph g, ModelSpec spec, int batch, long seed) {
        Map<String, float[]> out = new LinkedHashMap<>();
        Map<Node, INDArray> feed = feed(g, batch, 5, seed);
        try (TapeGraph.Run run = g.forward(feed)) {
            run.backward(g.built().loss());
            out.put("loss", new float[] {run.value(g.built().loss()).getFloat(0)});
            out.put("output", run.value(g.built().output()).dup('c').data().asFloat());
            for (WeightSpec ws : spec.weights()) {
                out.put(ws.name(), run.gradient(ws.name()).dup('c').data().asFloat());
            }
        } finally {
            feed.values().forEach(INDArray::close);
        }
        return out;
    }

    /**
     * The fused LSTM keeps its arrays between runs (per batch size, at most two): reusing them,
     * and evicting them for a third batch size, must not carry anything from one run to the next.
     */
    @Test
    void keptLstmArraysCarryNothingBetweenRuns() {
        ModelSpec spec = lstmStack(true);
        WeightStore w = Dl4jProgramTest.randomWeights(spec, 8);
        Map<String, float[]> first;
        Map<String, float[]> again;
        Map<String, float[]> other;
        try (TapeGraph g = TapeGraph.forModel(spec, ModelGraph.Mode.TRAINING, 5, true)) {
            g.upload(w);
            first = trainRun(g, spec, 3, 1);
            other = trainRun(g, spec, 2, 2);
            trainRun(g, spec, 4, 3);
            trainRun(g, spec, 3, 4);
            again = trainRun(g, spec, 3, 1);
        }
        Map<String, float[]> fresh;
        try (TapeGraph g = TapeGraph.forModel(spec, ModelGraph.Mode.TRAINING, 5, true)) {
            g.upload(w);
            fresh = trainRun(g, spec, 2, 2);
        }
        for (String k : first.keySet()) {
            assertArrayEquals(first.get(k), again.get(k), k);
            assertArrayEquals(fresh.get(k), other.get(k), k);
        }
    }

    private static ModelSpec lstmStack(boolean useBias) {
        return Sequential.builder()
                .input(5, 2)
                .add(Layers.lstm(4).returnSequences(true).useBias(useBias))
                .add(Layers.lstm(3).useBias(useBias))
                .add(Layers.dense(2))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
    }

    private static Map<Node, INDArray> feed(TapeGraph g, int batch, int steps, long seed) {
        Random r = new Random(seed);
        float[] x = new float[batch * steps * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * r.nextFloat() - 1;
        }
        float[] y = new float[batch * 2];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextFloat();
        }
        return Map.of(
                g.built().input(),
                Nd4j.create(x, new long[] {batch, steps, 2}, 'c'),
                g.built().target(),
                Nd4j.create(y, new long[] {batch, 2}, 'c'));
    }

    static Stream<Arguments> lstmShapes() {
        return Stream.of(
                Arguments.of(true, 5, 3),
                Arguments.of(false, 5, 3),
                Arguments.of(true, 1, 3),
                Arguments.of(true, 5, 1),
                Arguments.of(false, 4, 1));
    }

    /** Two implementations of one layer: the fused node and ModelGraph's unrolled ops must agree. */
    @ParameterizedTest(name = "bias {0}, {1} steps, batch {2}")
    @MethodSource("lstmShapes")
    void fusedLstmMatchesTheUnrolledLayer(boolean useBias, int steps, int batch) {
        ModelSpec spec = Sequential.builder()
                .input(-1, 2)
                .add(Layers.lstm(4).returnSequences(true).useBias(useBias))
                .add(Layers.lstm(3).useBias(useBias))
                .add(Layers.dense(2))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Sgd())
                .build();
        WeightStore w = Dl4jProgramTest.randomWeights(spec, 11);
        Map<String, float[]> fused = new LinkedHashMap<>();
        Map<String, float[]> unrolled = new LinkedHashMap<>();
        for (boolean fuse : new boolean[] {true, false}) {
            Map<String, float[]> into = fuse ? fused : unrolled;
            try (TapeGraph g = TapeGraph.forModel(spec, ModelGraph.Mode.TRAINING, steps, true, fuse)) {
                assertEquals(fuse, g.hasFusedLstm());
                g.upload(w);
                Map<Node, INDArray> feed = feed(g, batch, steps, 5);
                try (TapeGraph.Run run = g.forward(feed)) {
                    run.backward(g.built().loss());
                    into.put("loss", new float[] {run.value(g.built().loss()).getFloat(0)});
                    into.put(
                            "output",
                            run.value(g.built().output()).dup('c').data().asFloat());
                    for (WeightSpec ws : spec.weights()) {
                        INDArray grad = run.gradient(ws.name());
                        // Unrolled over one step, the recurrent kernels are never used: no gradient, i.e. zeros.
                        into.put(
                                ws.name(),
                                grad == null
                                        ? new float[(int) ws.size()]
                                        : grad.dup('c').data().asFloat());
                    }
                } finally {
                    feed.values().forEach(INDArray::close);
                }
            }
        }
        assertEquals(unrolled.keySet(), fused.keySet());
        for (String k : unrolled.keySet()) {
            assertArrayEquals(unrolled.get(k), fused.get(k), 2e-6f, k);
        }
        assertFalse(
                java.util.Arrays.equals(new float[fused.get("lstm/kernel").length], fused.get("lstm/kernel")),
                "the first layer's kernel gradient is all zeros");
    }
}
