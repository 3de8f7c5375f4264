package org.rnn4j.zoo.recipe;

import java.util.Map;
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
public final class TextData extends TextSplits<TensorDataset> implements PreparedData {
    TextData(
            Preprocessing preprocessing,
            String unit,
            TensorDataset train,
            TensorDataset validation,
            TensorDataset test) {
        super(preprocessing, unit, train, validation, test);
    }

    @Override
    public String describe() {
        return describe("");
    }

    @Override
    public LanguageModelScore score(Model model, EvaluationOptions options) {
        TensorDataset t = testSet();
        Map<String, Double> logs = model.evaluate(t, model.spec().fit().batchSize());
        Tensor y = t.y();
        return new LanguageModelScore(
                unit(), y.size(), logs.get("loss"), LanguageModelScore.unigramEntropyBits(y.intView()));
    }
}
