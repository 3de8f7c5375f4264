package org.rnn4j.cli;

import java.util.List;
import org.rnn4j.api.Model;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.api.train.Callback;
import org.rnn4j.api.train.History;

/**
 * Who runs {@code train}'s epochs once the data is prepared: the model's own loop on this machine
 * ({@link #LOCAL}), or another that trains the same model with the same batches elsewhere (the
 * spark module's data-parallel loop, {@code rnn4j spark train}). Everything around it (data
 * preparation, checkpoints and {@code --resume}, scoring, the run folder) stays {@code train}'s.
 */
public interface TrainingLoop {
    /** Trains {@code model} from {@code initialEpoch} as {@link Model#fitFrom} does. */
    History fit(
            Model model,
            Dataset train,
            Dataset validation,
            FitOptions options,
            List<Callback> callbacks,
            int initialEpoch);

    /** {@link Model#fitFrom} on this machine. */
    TrainingLoop LOCAL = Model::fitFrom;
}
