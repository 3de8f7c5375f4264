package org.rnn4j.api.tensorboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.rnn4j.api.json.KerasTopology;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;
import org.rnn4j.api.train.TrainingContext;

/**
 * Keras's {@code TensorBoard} callback: writes event files that {@code tensorboard --logdir DIR}
 * reads, laid out as Keras lays them out.
 *
 * <pre>{@code
 * model.fit(x, y, options, new TensorBoard(Path.of("logs")).updateEvery(10).histogramsEvery(1));
 * }</pre>
 *
 * <ul>
 *   <li>{@code DIR/train/}: {@code epoch_loss}, {@code epoch_<metric>} at step = epoch (0-based),
 *       and with {@link #updateEvery(int)} {@code batch_loss} every N batches at step = batches
 *       trained so far in this run; at step 0, the model's summary table as text (tag
 *       {@code model_summary}, Text tab) and its Keras JSON (tag {@code keras}, plugin
 *       {@code graph_keras_model}, Graphs tab); with {@link #histogramsEvery(int)}, a histogram of
 *       every weight (tag = the weight's Keras name) every K epochs.
 *   <li>{@code DIR/validation/}: the {@code val_*} values under the same names without the prefix
 *       ({@code epoch_loss}, ...), so TensorBoard draws training and validation on one chart.
 * </ul>
 *
 * <p>Scalars are written as {@code simple_value} floats. Each file is flushed at every epoch end, so
 * a running TensorBoard shows progress live, and closed when training ends. A resumed run continues
 * the epoch steps (a new file per run; TensorBoard merges the files of a folder). Failing to write
 * stops training with an {@link UncheckedIOException} naming the file.
 */
public final class TensorBoard implements Callback {
    private static final int HISTOGRAM_BUCKETS = 30;
    private static final AtomicInteger FILES = new AtomicInteger();

    private final Path logDir;
    private final int updateEvery;
    private final int histogramsEvery;

    private EventFile train;
    private EventFile validation;
    private long batchStep;

    /** Epoch scalars, the model summary and graph; no batch scalars, no histograms. */
    public TensorBoard(Path logDir) {
        this(logDir, 0, 0);
    }

    private TensorBoard(Path logDir, int updateEvery, int histogramsEvery) {
        this.logDir = Objects.requireNonNull(logDir, "tensorboard log dir");
        if (updateEvery < 0) {
            throw new IllegalArgumentException(
                    "tensorboard update frequency must be >= 1 batch (0: epochs only), got " + updateEvery);
        }
        if (histogramsEvery < 0) {
            throw new IllegalArgumentException(
                    "tensorboard histogram frequency must be >= 1 epoch (0: none), got " + histogramsEvery);
        }
        this.updateEvery = updateEvery;
        this.histogramsEvery = histogramsEvery;
    }

    /** Also {@code batch_loss} every {@code batches} batches (Keras's {@code update_freq}); 0 for none. */
    public TensorBoard updateEvery(int batches) {
        return new TensorBoard(logDir, batches, histogramsEvery);
    }

    /** Also a histogram of every weight every {@code epochs} epochs (Keras's {@code histogram_freq}); 0 for none. */
    public TensorBoard histogramsEvery(int epochs) {
        return new TensorBoard(logDir, updateEvery, epochs);
    }

    /** The folder the event files go to. */
    public Path logDir() {
        return logDir;
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        long now = System.currentTimeMillis();
        batchStep = 0;
        train = open("train", now);
        String summary = ctx.spec().summary();
        StringBuilder markdown = new StringBuilder();
        summary.lines().forEach(l -> markdown.append("    ").append(l).append('\n')); // a Markdown code block
        String keras;
        try {
            keras = SpecJson.mapper().writeValueAsString(KerasTopology.toJson(ctx.spec()));
        } catch (IOException e) {
            throw new UncheckedIOException("the model's Keras JSON could not be written for TensorBoard", e);
        }
        write(
                train,
                0,
                List.of(
                        EventFile.stringTensor("model_summary", "text", new byte[0], markdown.toString()),
                        EventFile.stringTensor(
                                "keras", "graph_keras_model", "1".getBytes(StandardCharsets.UTF_8), keras)));
    }

    @Override
    public void onBatchEnd(TrainingContext ctx, int epoch, int batch, int batches, double loss) {
        batchStep++;
        if (updateEvery > 0 && batchStep % updateEvery == 0) {
            write(train, batchStep, List.of(EventFile.scalar("batch_loss", (float) loss)));
        }
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, int epoch, Map<String, Double> logs) {
        List<Proto> trainValues = new ArrayList<>();
        List<Proto> validationValues = new ArrayList<>();
        logs.forEach((key, value) -> {
            if (key.startsWith("val_")) {
                validationValues.add(EventFile.scalar("epoch_" + key.substring(4), value.floatValue()));
            } else {
                trainValues.add(EventFile.scalar("epoch_" + key, value.floatValue()));
            }
        });
        if (histogramsEvery > 0 && (epoch + 1) % histogramsEvery == 0) {
            for (WeightSpec w : ctx.weights().specs()) {
                trainValues.add(EventFile.histogram(w.name(), ctx.weights().array(w.name()), HISTOGRAM_BUCKETS));
            }
        }
        write(train, epoch, trainValues);
        if (!validationValues.isEmpty()) {
            if (validation == null) {
                validation = open("validation", System.currentTimeMillis());
            }
            write(validation, epoch, validationValues);
        }
        flush(train);
        flush(validation);
    }

    @Override
    public void onTrainEnd(TrainingContext ctx, History history) {
        close();
    }

    /** Closes the files (also done when training ends); safe to call twice. */
    public void close() {
        EventFile[] files = {train, validation};
        train = null;
        validation = null;
        for (EventFile f : files) {
            if (f != null) {
                try {
                    f.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("could not close TensorBoard file " + f.path(), e);
                }
            }
        }
    }

    private EventFile open(String run, long now) {
        Path dir = logDir.resolve(run);
        try {
            return EventFile.create(dir, now, FILES.getAndIncrement());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not create a TensorBoard event file in " + dir + " (" + e.getMessage()
                            + "); choose a writable log folder",
                    e);
        }
    }

    private static void write(EventFile file, long step, List<Proto> values) {
        if (values.isEmpty()) {
            return;
        }
        try {
            file.summary(System.currentTimeMillis() / 1000.0, step, values);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not write TensorBoard file " + file.path() + ": " + e.getMessage(), e);
        }
    }

    private static void flush(EventFile file) {
        if (file == null) {
            return;
        }
        try {
            file.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not write TensorBoard file " + file.path() + ": " + e.getMessage(), e);
        }
    }
}
