package org.rnn4j.zoo.recipe;

import java.util.HashMap;
import java.util.Map;
import org.rnn4j.api.Model;
import org.rnn4j.api.data.Batch;
import org.rnn4j.api.data.BatchIterator;
import org.rnn4j.api.data.EpochPlan;
import org.rnn4j.data.text.TextWindows;
import org.rnn4j.zoo.evaluation.EvaluationOptions;
import org.rnn4j.zoo.evaluation.LanguageModelScore;

/**
 * A text of any size cut by {@link TextPreprocessing#stream} or {@link WordPreprocessing#stream}:
 * the sequences {@link TextData} holds as tensors, as datasets cut batch by batch from the ids of a
 * memory-mapped token cache. Training on it, and its score, give the numbers of the in-memory data.
 */
public final class StreamedTextData extends TextSplits<TextWindows> implements PreparedData {
    StreamedTextData(
            Preprocessing preprocessing, String unit, TextWindows train, TextWindows validation, TextWindows test) {
        super(preprocessing, unit, train, validation, test);
    }

    @Override
    public String describe() {
        return describe(", streamed from a token cache");
    }

    /** The test loss batch by batch, and the unigram entropy of the test targets counted as they stream by. */
    @Override
    public LanguageModelScore score(Model model, EvaluationOptions options) {
        TextWindows t = testSet();
        int batchSize = model.spec().fit().batchSize();
        Map<String, Double> logs = model.evaluate(t, batchSize);
        Map<Integer, Integer> counts = new HashMap<>();
        long tokens = 0;
        try (BatchIterator it = t.batches(EpochPlan.inOrder(4096))) {
            while (it.hasNext()) {
                Batch b = it.next();
                for (int id : b.y().intView()) {
                    counts.merge(id, 1, Integer::sum);
                }
                tokens += b.y().size();
            }
        }
        return new LanguageModelScore(
                unit(), Math.toIntExact(tokens), logs.get("loss"), LanguageModelScore.entropyBits(counts, tokens));
    }
}
