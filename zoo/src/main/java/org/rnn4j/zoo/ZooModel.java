package org.rnn4j.zoo;

import java.util.Objects;
import java.util.function.Function;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.zoo.recipe.Preprocessing;
import org.rnn4j.zoo.recipe.Recipe;

/**
 * One zoo entry: a model architecture and the recipe that makes its data. Models size their input
 * and output layers by the data (text: the vocabulary; series: the columns and the direct horizon),
 * so their spec is built for a fitted {@link Preprocessing} ({@link #spec(Preprocessing)});
 * {@link #spec()} is the spec for the default dataset.
 */
public final class ZooModel {
    private final String name;
    private final String description;
    private final Recipe recipe;
    private final String defaultData;
    private final Preprocessing.Sizes defaultSizes;
    private final Function<Preprocessing.Sizes, ModelSpec> specForSizes;

    ZooModel(
            String name,
            String description,
            Recipe recipe,
            String defaultData,
            Preprocessing.Sizes defaultSizes,
            Function<Preprocessing.Sizes, ModelSpec> specForSizes) {
        this.name = Objects.requireNonNull(name);
        this.description = Objects.requireNonNull(description);
        this.recipe = Objects.requireNonNull(recipe);
        this.defaultData = Objects.requireNonNull(defaultData);
        this.defaultSizes = Objects.requireNonNull(defaultSizes);
        this.specForSizes = Objects.requireNonNull(specForSizes);
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
        return specForSizes.apply(defaultSizes);
    }

    /** The spec for data prepared with {@code p} (sized by its vocabulary, columns or horizon). */
    public ModelSpec spec(Preprocessing p) {
        return specForSizes.apply(Objects.requireNonNull(p, "preprocessing").sizes());
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
