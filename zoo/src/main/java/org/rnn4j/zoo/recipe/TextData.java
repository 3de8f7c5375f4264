package org.rnn4j.zoo.recipe;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.rnn4j.api.Model;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.train.Trainer;
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
    private final Trainer.Dataset train;
    private final Trainer.Dataset validation;
    private final Trainer.Dataset test;

    TextData(
            Preprocessing preprocessing,
            String unit,
            Trainer.Dataset train,
            Trainer.Dataset validation,
            Trainer.Dataset test) {
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
    public Trainer.Dataset trainingSet() {
        return train;
    }

    @Override
    public Optional<Trainer.Dataset> validationSet() {
        return Optional.ofNullable(validation);
    }

    public boolean hasTest() {
        return test != null;
    }

    @Override
    public Trainer.Dataset testSet() {
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
                train.size(),
                validation == null ? 0 : validation.size(),
                test == null ? 0 : test.size(),
                unit);
    }

    @Override
    public String lossUnit() {
        return "nats per " + unit;
    }

    @Override
    public LanguageModelScore score(Model model, EvaluationOptions options) {
        Trainer.Dataset t = testSet();
        Map<String, Double> logs =
                model.evaluate(t.x(), t.y(), model.spec().fit().batchSize());
        Tensor y = t.y();
        return new LanguageModelScore(
                unit, y.size(), logs.get("loss"), LanguageModelScore.unigramEntropyBits(y.intView()));
    }
}
