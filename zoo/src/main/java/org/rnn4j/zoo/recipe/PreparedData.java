package org.rnn4j.zoo.recipe;

import java.util.Optional;
import org.rnn4j.api.Model;
import org.rnn4j.api.data.Dataset;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.Score;

/**
 * Data cut for one model by a fitted {@link Preprocessing}: the training, validation and test sets
 * the model trains and is scored on, and the scoring itself. {@link StockData} for series,
 * {@link TextData} for characters and words, as in-memory tensors; {@link StreamedStockData} and
 * {@link StreamedTextData} for files larger than memory, whose windows are cut batch by batch from
 * memory-mapped caches (the same windows, batches and numbers).
 */
public sealed interface PreparedData permits StockData, TextData, StreamedStockData, StreamedTextData {

    /** The fitted preprocessing, to save with the model ({@link Preprocessing#asExtras()}). */
    Preprocessing preprocessing();

    /** The windows the model trains on. */
    Dataset trainingSet();

    /** The validation windows, if the validation split holds any. */
    Optional<? extends Dataset> validationSet();

    /** The held-out test windows; an error naming the way out when the test split holds none. */
    Dataset testSet();

    /** One line: what was cut into how many training / validation / test windows. */
    String describe();

    /** What the training loss is measured on, for the loss plot's axis. */
    String lossUnit();

    /** Scores a trained model on the test split. */
    Score score(Model model, EvaluationOptions options);
}
