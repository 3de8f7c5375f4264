package org.rnn4j.zoo;

import java.util.Objects;
import java.util.function.IntFunction;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.data.series.TimeSeries;
import org.rnn4j.zoo.recipe.Preprocessing;
import org.rnn4j.zoo.recipe.Recipe;
import org.rnn4j.zoo.recipe.StockData;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.StockRecipe;
import org.rnn4j.zoo.recipe.TextPreprocessing;
import org.rnn4j.zoo.recipe.WordPreprocessing;

/**
 * One zoo entry: a model architecture and the recipe that makes its data. Text models size their
 * input and output layers by the vocabulary, so their spec is built for a fitted
 * {@link Preprocessing} ({@link #spec(Preprocessing)}); {@link #spec()} is the spec for the
 * default dataset.
 */
public final class ZooModel {
    private final String name;
    private final String description;
    private final Recipe recipe;
    private final String defaultData;
    private final int defaultVocabularySize;
    private final IntFunction<ModelSpec> specForVocabulary;

    ZooModel(
            String name,
            String description,
            Recipe recipe,
            String defaultData,
            int defaultVocabularySize,
            IntFunction<ModelSpec> specForVocabulary) {
        this.name = Objects.requireNonNull(name);
        this.description = Objects.requireNonNull(description);
        this.recipe = Objects.requireNonNull(recipe);
        this.defaultData = Objects.requireNonNull(defaultData);
        this.defaultVocabularySize = defaultVocabularySize;
        this.specForVocabulary = Objects.requireNonNull(specForVocabulary);
    }

    public String name() {
        return name;
    }

    /** One line on the architecture and data. */
    public String description() {
        return description;
    }

    public Recipe recipe() {
        return recipe;
    }

    /** The shipped dataset it trains on by default ({@code sp500}, {@code kjv}). */
    public String defaultData() {
        return defaultData;
    }

    /** The spec for the default dataset (for text models: that dataset's vocabulary size). */
    public ModelSpec spec() {
        return specForVocabulary.apply(defaultVocabularySize);
    }

    /** The spec for data prepared with {@code p} (sized by its vocabulary for text models). */
    public ModelSpec spec(Preprocessing p) {
        Objects.requireNonNull(p, "preprocessing");
        if (p instanceof TextPreprocessing t) {
            return specForVocabulary.apply(t.vocabulary().size());
        }
        if (p instanceof WordPreprocessing w) {
            return specForVocabulary.apply(w.vocabularySize());
        }
        if (p instanceof StockPreprocessing) {
            return specForVocabulary.apply(0);
        }
        throw new IllegalStateException("unhandled preprocessing " + p.kind());
    }

    /**
     * A price series prepared for this stock model exactly as {@code rnn4j train --zoo NAME} prepares
     * it: the recipe's price column (matched ignoring case), differenced, scaled with numbers fitted
     * on the training split only, cut into windows {@code [n, window, 1]} that each predict the next
     * difference {@code [n, 1]}, and split in time order into train, validation and test. A window
     * belongs to the split of the price it predicts, so no split loses its first windows of context.
     *
     * <pre>{@code StockData data = Zoo.get("stock-simple-rnn").prepare(DemoData.sp500()); }</pre>
     *
     * @throws IllegalArgumentException for a text model, or a series without the recipe's column
     */
    public StockData prepare(TimeSeries series) {
        Objects.requireNonNull(series, "series");
        if (!(recipe instanceof StockRecipe stock)) {
            throw new IllegalArgumentException(
                    name + " is a text model; prepare(TimeSeries) prepares price series for the stock-* models");
        }
        // The series' own spelling of the column, as the CLI records it in the saved preprocessing.
        String column = series.columns().get(series.columnIndex(stock.column()));
        return stock.withColumn(column).prepare(series);
    }

    /** The classpath resource of shipped trained weights ({@code .../model.json}), if this jar has them. */
    public String pretrainedResource() {
        return "/org/rnn4j/zoo/pretrained/" + name + "/model.json";
    }

    public boolean hasPretrained() {
        return ZooModel.class.getResource(pretrainedResource()) != null;
    }

    @Override
    public String toString() {
        return "ZooModel[" + name + "]";
    }
}
