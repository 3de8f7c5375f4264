package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.tensorboard.TensorBoard;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.TrainingContext;
import org.rnn4j.bootstrap.Rnn4j;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.op.io.FifoQueue;
import org.tensorflow.op.io.QueueClose;
import org.tensorflow.op.io.QueueEnqueue;
import org.tensorflow.op.io.ReaderRead;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.HistogramProto;
import org.tensorflow.proto.Summary;
import org.tensorflow.types.TString;

/**
 * The TensorBoard callback's files, read back by TensorFlow itself: its TFRecord reader (which
 * checks both CRCs of every record) through a {@code TFRecordReader} op, and its own protobuf classes
 * for {@code Event} and {@code Summary}. Values are compared with what training reported.
 */
class TensorBoardIT {
    @TempDir
    Path tmp;

    /** Every batch loss, as the training loop reports it. */
    private static final class BatchLosses implements Callback {
        final List<Double> losses = new ArrayList<>();

        @Override
        public void onBatchEnd(TrainingContext ctx, int epoch, int batch, int batches, double loss) {
            losses.add(loss);
        }
    }

    @Test
    void theCallbacksEventFilesReadBackWithTensorFlowsReader() throws Exception {
        Tensor[] data = Fixtures.sineWindows(90, 8);
        ModelSpec spec = Sequential.name("sine")
                .input(8, 1)
                .add(Layers.simpleRnn(4))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(0.01), Metric.MAE)
                .build();
        Path logs = tmp.resolve("logs");
        BatchLosses batches = new BatchLosses();
        History history;
        Map<String, float[]> finalWeights = new LinkedHashMap<>();
        try (Backend backend = Rnn4j.backend("tf");
                Model model = Model.create(spec, backend)) {
            // 81 training samples in batches of 16: 6 batches per epoch, 24 in 4 epochs
            history = model.fit(
                    data[0],
                    data[1],
                    FitOptions.defaults().withEpochs(4).withBatchSize(16).withValidationSplit(0.1),
                    new TensorBoard(logs).updateEvery(5).histogramsEvery(2),
                    batches);
            model.weights().forEach((name, t) -> finalWeights.put(name, t.floatView()));
        }
        assertEquals(24, batches.losses.size());

        List<Event> train = readEvents(onlyFile(logs.resolve("train")));
        assertEquals("brain.Event:2", train.get(0).getFileVersion());

        Map<String, Summary.Value> model = values(train, 0, "model_summary", "keras");
        Summary.Value text = model.get("model_summary");
        assertEquals("text", text.getMetadata().getPluginData().getPluginName());
        assertTrue(text.getTensor().getStringVal(0).toStringUtf8().contains("Total params: 29"), text.toString());
        Summary.Value keras = model.get("keras");
        assertEquals("graph_keras_model", keras.getMetadata().getPluginData().getPluginName());
        JsonNode kerasJson =
                SpecJson.mapper().readTree(keras.getTensor().getStringVal(0).toStringUtf8());
        assertEquals("Sequential", kerasJson.get("class_name").asText());
        assertEquals(2, kerasJson.get("config").get("layers").size());

        for (int epoch = 0; epoch < 4; epoch++) {
            Map<String, Summary.Value> v = values(train, epoch, "epoch_loss", "epoch_mae");
            assertEquals(
                    (float) (double) history.get("loss").get(epoch),
                    v.get("epoch_loss").getSimpleValue());
            assertEquals(
                    (float) (double) history.get("mae").get(epoch),
                    v.get("epoch_mae").getSimpleValue());
        }
        // batch_loss every 5 batches of the run, at step = batches trained so far
        for (int step = 5; step <= 20; step += 5) {
            assertEquals(
                    (float) (double) batches.losses.get(step - 1),
                    values(train, step, "batch_loss").get("batch_loss").getSimpleValue(),
                    "batch_loss at step " + step);
        }
        // histograms after epochs 2 and 4 (steps 1 and 3); the last one holds the final weights
        assertEquals(
                2, train.stream().filter(e -> hasTag(e, "simple_rnn/kernel")).count());
        for (Map.Entry<String, float[]> w : finalWeights.entrySet()) {
            HistogramProto h = values(train, 3, w.getKey()).get(w.getKey()).getHisto();
            float[] values = w.getValue();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (float f : values) {
                min = Math.min(min, f);
                max = Math.max(max, f);
                sum += f;
            }
            assertEquals(values.length, h.getNum(), w.getKey());
            assertEquals(min, h.getMin(), w.getKey());
            assertEquals(max, h.getMax(), w.getKey());
            assertEquals(sum, h.getSum(), 1e-9 * Math.max(1, Math.abs(sum)), w.getKey());
            assertEquals(
                    values.length,
                    h.getBucketList().stream().mapToDouble(Double::doubleValue).sum(),
                    w.getKey());
            assertEquals(max, h.getBucketLimit(h.getBucketLimitCount() - 1), w.getKey());
        }

        List<Event> validation = readEvents(onlyFile(logs.resolve("validation")));
        for (int epoch = 0; epoch < 4; epoch++) {
            Map<String, Summary.Value> v = values(validation, epoch, "epoch_loss", "epoch_mae");
            assertEquals(
                    (float) (double) history.get("val_loss").get(epoch),
                    v.get("epoch_loss").getSimpleValue());
            assertEquals(
                    (float) (double) history.get("val_mae").get(epoch),
                    v.get("epoch_mae").getSimpleValue());
        }
    }

    @Test
    void tensorFlowsReaderRefusesARecordWithABadCrc() throws Exception {
        Path logs = tmp.resolve("crc");
        Tensor[] data = Fixtures.sineWindows(20, 4);
        ModelSpec spec = Sequential.name("tiny")
                .input(4, 1)
                .add(Layers.simpleRnn(2))
                .add(Layers.dense(1))
                .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(), Metric.MAE)
                .build();
        try (Backend backend = Rnn4j.backend("tf");
                Model model = Model.create(spec, backend)) {
            model.fit(data[0], data[1], FitOptions.defaults().withEpochs(1), new TensorBoard(logs));
        }
        Path file = onlyFile(logs.resolve("train"));
        assertTrue(readEvents(file).size() >= 3);
        byte[] bytes = Files.readAllBytes(file);
        bytes[8 + 4 + 2] ^= 0x01; // one bit of the first record's data
        Path broken = Files.write(tmp.resolve("events.out.tfevents.broken"), bytes);
        TensorFlowException e = assertThrows(TensorFlowException.class, () -> readEvents(broken));
        assertTrue(e.getMessage().contains("corrupted record"), e.getMessage());
    }

    @Test
    void trainWritesTensorBoardFilesFromTheCommandLine() throws Exception {
        Path logs = tmp.resolve("cli-logs");
        Path out = tmp.resolve("run");
        Cli.run(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--epochs",
                        "2",
                        "--no-progress",
                        "--tensorboard",
                        logs.toString(),
                        "--out",
                        out.toString())
                .ok();
        JsonNode history =
                SpecJson.mapper().readTree(out.resolve("history.json").toFile());
        List<Event> train = readEvents(onlyFile(logs.resolve("train")));
        List<Event> validation = readEvents(onlyFile(logs.resolve("validation")));
        for (int epoch = 0; epoch < 2; epoch++) {
            assertEquals(
                    (float) lossOf(history, "loss", epoch),
                    values(train, epoch, "epoch_loss").get("epoch_loss").getSimpleValue());
            assertEquals(
                    (float) lossOf(history, "val_loss", epoch),
                    values(validation, epoch, "epoch_loss").get("epoch_loss").getSimpleValue());
        }
    }

    private static double lossOf(JsonNode history, String key, int epoch) {
        JsonNode values = history.has("history") ? history.get("history").get(key) : history.get(key);
        assertTrue(values != null, key + " in " + history);
        return values.get(epoch).asDouble();
    }

    /**
     * Every record of an event file, read by TensorFlow's TFRecordReader op (which checks both CRCs
     * of every record) from a queue holding the file's name, parsed as Events.
     */
    static List<Event> readEvents(Path file) throws Exception {
        List<Event> events = new ArrayList<>();
        try (Graph graph = new Graph();
                Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            FifoQueue files = tf.io.fifoQueue(List.of(TString.class));
            QueueEnqueue enqueue = tf.io.queueEnqueue(files, List.of(tf.constant(file.toString())));
            QueueClose close = tf.io.queueClose(files);
            ReaderRead read = tf.io.readerRead(tf.io.tfRecordReader(), files);
            session.runner().addTarget(enqueue).run().close();
            session.runner().addTarget(close).run().close();
            while (true) {
                try (Result r = session.runner().fetch(read.value()).run()) {
                    events.add(Event.parseFrom(((TString) r.get(0)).asBytes().getObject()));
                } catch (TFOutOfRangeException end) {
                    return events; // the queue is closed and the file read to its end
                }
            }
        }
    }

    static Path onlyFile(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.toList();
            assertEquals(1, files.size(), files.toString());
            assertTrue(files.get(0).getFileName().toString().startsWith("events.out.tfevents."), files.toString());
            return files.get(0);
        }
    }

    private static boolean hasTag(Event e, String tag) {
        return e.hasSummary()
                && e.getSummary().getValueList().stream()
                        .anyMatch(v -> v.getTag().equals(tag));
    }

    /** The values with these tags in the events at {@code step}; each tag exactly once. */
    private static Map<String, Summary.Value> values(List<Event> events, long step, String... tags) {
        Map<String, Summary.Value> found = new LinkedHashMap<>();
        for (Event e : events) {
            if (!e.hasSummary() || e.getStep() != step) {
                continue;
            }
            for (Summary.Value v : e.getSummary().getValueList()) {
                for (String tag : tags) {
                    if (v.getTag().equals(tag)) {
                        assertTrue(found.put(tag, v) == null, "tag " + tag + " twice at step " + step);
                    }
                }
            }
        }
        assertEquals(java.util.Set.of(tags), found.keySet(), "tags at step " + step);
        return found;
    }
}
