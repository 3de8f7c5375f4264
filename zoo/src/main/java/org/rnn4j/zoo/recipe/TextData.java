package org.rnn4j.zoo.recipe;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.rnn4j.api.Model;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.LanguageModelScore;

/**
 * A text cut by a {@link TextPreprocessing} or {@link WordPreprocessing}: inputs
 * ({@code [n, sequence]} ids or {@code [n, sequence, vocab]} one-hot) and next-token id targets
 * {@code [n]} for each split. The validation and test splits may be too short for one sequence.
 */
public final class TextData implements PreparedData {
    private final Preprocessing preprocessing;
    private final String unit;
    private final TensorDataset train;
    private final TensorDataset validation;
    private final TensorDataset test;

    TextData(
            Preprocessing preprocessing,
            String unit,
            TensorDataset train,
            TensorDataset validation,
            TensorDataset test) {
        this.preprocessing = preprocessing;
        this.unit = unit;
        this.train = train;
        this.validation = validation;
        this.test = test;
    }

    @Override
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** {@code character} or {@code word}. */
    public String unit() {
        return unit;
    }

    @Override
    public TensorDataset trainingSet() {
        return train;
    }

    @Override
    public Optional<TensorDataset> validationSet() {
        return Optional.ofNullable(validation);
    }

    public boolean hasTest() {
        return test != null;
    }

    @Override
    public TensorDataset testSet() {
        if (test == null) {
            throw new IllegalArgumentException("the test split of the text is shorter than one sequence; use a longer"
                    + " text (or more --max-chars)");
        }
        return test;
    }

    @Override
    public String describe() {
        return String.format(
                Locale.ROOT,
                "%d train / %d validation / %d test sequences of %ss",
                train.count(),
                validation == null ? 0 : validation.count(),
                test == null ? 0 : test.count(),
                unit);
    }

    @Override
    public String lossUnit() {
        return "nats per " + unit;
    }

    @Override
    public LanguageModelScore score(Model model, EvaluationOptions options) {
        TensorDataset t = testSet();
        Map<String, Double> logs = model.evaluate(t, model.spec().fit().batchSize());
        Tensor y = t.y();
        return new LanguageModelScore(
                unit, y.size(), logs.get("loss"), LanguageModelScore.unigramEntropyBits(y.intView()));
    }
}
