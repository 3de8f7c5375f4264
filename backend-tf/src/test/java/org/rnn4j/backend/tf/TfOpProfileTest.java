package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.backend.Program;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightStore;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.NodeOutput;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;
import org.tensorflow.proto.TensorDescription;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The op profile ({@link TfOpProfile}): op types read from step stats and summed as worked out by
 * hand, and a program made with the property on traces its runs without changing their numbers.
 */
class TfOpProfileTest {

    private static NodeExecStats node(String name, String label, long startMicros, long endMicros, long... shape) {
        NodeExecStats.Builder n = NodeExecStats.newBuilder()
                .setNodeName(name)
                .setTimelineLabel(label)
                .setOpStartRelMicros(startMicros)
                .setOpEndRelMicros(endMicros);
        if (shape.length > 0) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (long d : shape) {
                s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
            }
            n.addOutput(NodeOutput.newBuilder()
                    .setTensorDescription(TensorDescription.newBuilder().setShape(s)));
        }
        return n.build();
    }

    private static RunMetadata run(NodeExecStats... nodes) {
        DeviceStepStats.Builder device = DeviceStepStats.newBuilder().setDevice("/cpu:0");
        for (NodeExecStats n : nodes) {
            device.addNodeStats(n);
        }
        return RunMetadata.newBuilder()
                .setStepStats(StepStats.newBuilder().addDevStats(device))
                .build();
    }

    @Test
    void opTypesComeFromTheTimelineLabelAndProductsCarryTheirShape() {
        assertEquals("Tanh", TfOpProfile.key(node("lstm/Tanh_3", "lstm/Tanh_3 = Tanh(lstm/add_2)", 0, 1)));
        assertEquals(
                "_MklMatMul -> [64, 256] backward",
                TfOpProfile.key(node(
                        "gradients/MatMul_7_grad/MatMul",
                        "gradients/MatMul_7_grad/MatMul = _MklMatMul(a, b)",
                        0,
                        1,
                        64,
                        256)));
        assertEquals(
                "MatMul -> [32, 1024]", TfOpProfile.key(node("MatMul_3", "MatMul_3 = MatMul(h, u)", 0, 1, 32, 1024)));
        assertEquals("_SOURCE", TfOpProfile.key(node("_SOURCE", "", 0, 0)), "no label: the node's name");
    }

    /** Two runs: MatMul 300 + 100 us, Tanh 40 + 40, Add 20 + 0; 500 us in all. */
    @Test
    void timesAreSummedByTypeAndShownPerRun() {
        TfOpProfile p = new TfOpProfile();
        p.add(run(
                node("MatMul", "MatMul = MatMul(a, b)", 10, 310, 4, 8),
                node("Tanh", "Tanh = Tanh(MatMul)", 310, 350),
                node("Add", "Add = Add(Tanh, c)", 350, 370)));
        p.add(run(
                node("MatMul", "MatMul = MatMul(a, b)", 5, 105, 4, 8),
                node("Tanh", "Tanh = Tanh(MatMul)", 105, 145),
                node("Add", "Add = Add(Tanh, c)", 145, 145)));
        assertEquals(2, p.runs());
        String table = p.table(2);
        assertTrue(table.startsWith("2 session runs, kernels' time summed 0.25 ms a run"), table);
        // 400 us / 2 runs = 0.200 ms, 400 / 500 = 80.0%; Tanh 80 us / 2 = 0.040 ms, 16.0%
        assertTrue(table.contains("| MatMul -> [4, 8] | 1.0 | 0.200 | 80.0% |"), table);
        assertTrue(table.contains("| Tanh | 1.0 | 0.040 | 16.0% |"), table);
        assertFalse(table.contains("| Add |"), "only the 2 largest rows: " + table);
    }

    @Test
    void tracingKeepsTheCallersRunOptions() {
        RunOptions o = TfOpProfile.traced(TfNativeRun.CALLER_THREAD_OPTIONS);
        assertEquals(RunOptions.TraceLevel.FULL_TRACE, o.getTraceLevel());
        assertEquals(-1, o.getInterOpThreadPool());
        assertEquals(RunOptions.TraceLevel.FULL_TRACE, TfOpProfile.traced(null).getTraceLevel());
    }

    /** A training step and a forecast: traced, with their MatMuls listed, and the numbers of a program that is not. */
    @Test
    void aProfiledProgramTracesItsRunsAndComputesTheSameNumbers() {
        ModelSpec spec = Fixtures.charModel();
        WeightStore w = Fixtures.weights(spec, 17, 0.5);
        int[] ids = new int[3 * 12];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = (k * 5 + 2) % 9;
        }
        Tensor input = Tensor.ofInts(ids, 3, 12);
        Tensor target = Tensor.ofInts(java.util.Arrays.copyOfRange(ids, 1, 1 + ids.length), 3, 12);
        String before = System.getProperty(TfOpProfile.PROPERTY);
        TfProgram profiled;
        System.setProperty(TfOpProfile.PROPERTY, "true");
        try {
            profiled = new TfProgram(spec, TfSessionOptions.defaults().toConfigProto(), p -> {});
        } finally {
            if (before == null) {
                System.clearProperty(TfOpProfile.PROPERTY);
            } else {
                System.setProperty(TfOpProfile.PROPERTY, before);
            }
        }
        try (TfProgram plain = new TfProgram(spec, TfSessionOptions.defaults().toConfigProto(), p -> {});
                TfProgram p = profiled) {
            assertFalse(plain.opProfile().isPresent(), "off unless asked for");
            Program.StepResult x = p.trainStep(input, target, w, Map.of());
            Program.StepResult y = plain.trainStep(input, target, w, Map.of());
            assertEquals(y.loss(), x.loss());
            for (String n : y.gradients().keySet()) {
                assertArrayEquals(
                        y.gradients().get(n).toFloatArray(),
                        x.gradients().get(n).toFloatArray(),
                        "gradient of " + n);
            }
            assertArrayEquals(
                    plain.predict(input, w).toFloatArray(), p.predict(input, w).toFloatArray());
            TfOpProfile profile = p.opProfile().orElseThrow();
            assertTrue(profile.runs() >= 2, "the training step and the forecast were traced: " + profile.runs());
            String table = profile.table(100);
            assertTrue(table.contains("MatMul -> [3, "), table);
            assertTrue(table.contains(" backward |"), "the training step's gradient products: " + table);
        }
    }
}
