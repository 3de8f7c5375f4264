package org.rnn4j.zoo;

import java.util.List;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.text.InputEncoding;
import org.rnn4j.zoo.recipe.Preprocessing;
import org.rnn4j.zoo.recipe.StockRecipe;
import org.rnn4j.zoo.recipe.TextRecipe;
import org.rnn4j.zoo.recipe.WordRecipe;

/**
 * The named models of the article, ready to train:
 * <ul>
 *   <li>{@code stock-simple-rnn}: the article's model, windows of 50 percent changes of Close ->
 *   SimpleRNN(10) -> Dense(1), Adam, MSE, MAE;</li>
 *   <li>{@code stock-deep-rnn}, {@code stock-lstm}, {@code stock-gru}: stacked recurrent layers
 *   ({@code return_sequences} on all but the last) on the same data;</li>
 *   <li>{@code char-onehot-lstm}: one-hot characters -> LSTM(128) -> Dense(vocab, softmax);</li>
 *   <li>{@code char-embedding-lstm}: character ids -> Embedding(vocab, 32) -> LSTM(128) -> Dense(vocab, softmax);</li>
 *   <li>{@code word-embedding-lstm}: the article's Embedding(1000, 64) over 50 word ids -> LSTM(128) -> Dense(1000, softmax).</li>
 * </ul>
 */
public final class Zoo {
    /** Distinct characters of the shipped King James Bible, the char models' default vocabulary size. */
    public static final int KJV_CHARACTERS = 73;

    private static final ChronologicalSplit STOCK_SPLIT = new ChronologicalSplit(0.7, 0.15, 0.15);
    private static final ChronologicalSplit TEXT_SPLIT = new ChronologicalSplit(0.8, 0.1, 0.1);
    private static final int CHAR_SEQUENCE = 40;
    private static final int WORD_SEQUENCE = 50;
    private static final int WORDS = 1000;

    private static final List<ZooModel> MODELS = List.of(
            stock(
                    "stock-simple-rnn",
                    "the article's model: SimpleRNN(10) -> Dense(1) on windows of 50 percent changes of Close",
                    Layers.simpleRnn(10)),
            stock(
                    "stock-deep-rnn",
                    "stacked SimpleRNN(32) x3 (return_sequences) -> Dense(1) on windows of 50 percent changes",
                    sequences(Layers.simpleRnn(32)),
                    sequences(Layers.simpleRnn(32)),
                    Layers.simpleRnn(32)),
            stock(
                    "stock-lstm",
                    "stacked LSTM(50) x2 (return_sequences) -> Dense(1) on windows of 50 percent changes",
                    sequences(Layers.lstm(50)),
                    Layers.lstm(50)),
            stock(
                    "stock-gru",
                    "stacked GRU(50) x2 (return_sequences, reset_after) -> Dense(1) on windows of 50 percent changes",
                    sequences(Layers.gru(50)),
                    Layers.gru(50)),
            new ZooModel(
                    "char-onehot-lstm",
                    "one-hot characters (as the article's 'abe' example) -> LSTM(128) -> Dense(vocab, softmax)",
                    new TextRecipe(CHAR_SEQUENCE, 3, InputEncoding.ONE_HOT, 100_000, TEXT_SPLIT),
                    DemoData.KJV,
                    new Preprocessing.Sizes(KJV_CHARACTERS, KJV_CHARACTERS),
                    sizes -> Sequential.name("char-onehot-lstm")
                            .input(CHAR_SEQUENCE, sizes.features())
                            .add(Layers.lstm(128))
                            .add(Layers.dense(sizes.outputs(), Activation.SOFTMAX))
                            .compile(
                                    Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
                                    new OptimizerSpec.Adam(0.003),
                                    Metric.ACCURACY)
                            .fit(new FitOptions(5, 128, 0, true, 42))
                            .build()),
            new ZooModel(
                    "char-embedding-lstm",
                    "character ids -> Embedding(vocab, 32) -> LSTM(128) -> Dense(vocab, softmax)",
                    new TextRecipe(CHAR_SEQUENCE, 3, InputEncoding.IDS, 300_000, TEXT_SPLIT),
                    DemoData.KJV,
                    new Preprocessing.Sizes(KJV_CHARACTERS, KJV_CHARACTERS),
                    sizes -> Sequential.name("char-embedding-lstm")
                            .tokenInput(CHAR_SEQUENCE)
                            .add(Layers.embedding(sizes.features(), 32))
                            .add(Layers.lstm(128))
                            .add(Layers.dense(sizes.outputs(), Activation.SOFTMAX))
                            .compile(
                                    Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
                                    new OptimizerSpec.Adam(0.003),
                                    Metric.ACCURACY)
                            .fit(new FitOptions(5, 128, 0, true, 42))
                            .build()),
            new ZooModel(
                    "word-embedding-lstm",
                    "the article's Embedding(1000, 64) over 50 word ids -> LSTM(128) -> Dense(1000, softmax)",
                    new WordRecipe(WORDS, WORD_SEQUENCE, 5, 1_000_000, TEXT_SPLIT),
                    DemoData.KJV,
                    new Preprocessing.Sizes(WORDS, WORDS),
                    sizes -> Sequential.name("word-embedding-lstm")
                            .tokenInput(WORD_SEQUENCE)
                            .add(Layers.embedding(sizes.features(), 64))
                            .add(Layers.lstm(128))
                            .add(Layers.dense(sizes.outputs(), Activation.SOFTMAX))
                            .compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Adam(), Metric.ACCURACY)
                            .fit(new FitOptions(5, 128, 0, true, 42))
                            .build()));

    private Zoo() {}

    /** Every zoo model, in a fixed order. */
    public static List<ZooModel> list() {
        return MODELS;
    }

    public static List<String> names() {
        return MODELS.stream().map(ZooModel::name).toList();
    }

    /** The model called {@code name}; an unknown name lists the known ones. */
    public static ZooModel get(String name) {
        for (ZooModel m : MODELS) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown zoo model '" + name + "'; known: " + names());
    }

    private static RecurrentSpec sequences(RecurrentSpec layer) {
        return layer.returnSequences(true);
    }

    private static ZooModel stock(String name, String description, RecurrentSpec... recurrent) {
        StockRecipe recipe = StockRecipe.article();
        return new ZooModel(name, description, recipe, DemoData.SP500, new Preprocessing.Sizes(1, 1), sizes -> {
            Sequential s = Sequential.name(name).input(recipe.window(), sizes.features());
            for (RecurrentSpec r : recurrent) {
                s.add(r);
            }
            return s.add(Layers.dense(sizes.outputs()))
                    .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam(), Metric.MAE)
                    .fit(new FitOptions(20, 32, 0, true, 42))
                    .build();
        });
    }
}
