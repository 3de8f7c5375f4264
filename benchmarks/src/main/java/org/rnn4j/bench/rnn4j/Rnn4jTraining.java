package org.rnn4j.bench.rnn4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.TrainingContext;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.TrainingRun;
import org.rnn4j.bench.Workload;
import org.rnn4j.bootstrap.Rnn4j;

/**
 * A training workload through rnn4j as a user runs it: {@code Rnn4j.backend(id)},
 * {@code Model.create}, then {@code fit} with Keras's defaults (shuffled batches). Each benchmark
 * epoch is one {@code fitFrom} call starting at that epoch, so the epoch number (and with it the
 * shuffle) is the same as in one long {@code fit}, and the harness can time every epoch itself.
 */
public final class Rnn4jTraining implements TrainingRun {
    private final Backend backend;
    private final Model model;
    private final SyntheticData data;
    private final FitOptions options;
    private final Map<Integer, TensorDataset> datasets = new HashMap<>();

    public Rnn4jTraining(String backendId, Workload workload, SyntheticData data) {
        this.data = data;
        this.backend = Rnn4j.backend(backendId);
        try {
            this.model = Model.create(Rnn4jModels.spec(workload, data.sizes()), backend, SyntheticData.SEED);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        this.options = FitOptions.defaults().withBatchSize(data.sizes().batch()).withSeed(SyntheticData.SEED);
    }

    @Override
    public double epoch(int epoch, int batches, IntConsumer batchDone) {
        // Made once per epoch size, before the epoch is timed: a shorter epoch is the first rows.
        TensorDataset ds = datasets.computeIfAbsent(batches, b -> {
            int rows = b * data.sizes().batch();
            return rows == data.x().dim(0)
                    ? TensorDataset.of(data.x(), data.y())
                    : TensorDataset.of(data.x().sliceRows(0, rows), data.y().sliceRows(0, rows));
        });
        Callback progress = new Callback() {
            @Override
            public void onBatchEnd(TrainingContext ctx, int e, int batch, int count, double loss) {
                batchDone.accept(batch);
            }
        };
        return model.fitFrom(ds, null, options.withEpochs(epoch + 1), List.of(progress), epoch)
                .last("loss");
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            backend.close();
        }
    }
}
