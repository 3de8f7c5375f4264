package org.rnn4j.zoo.recipe;

import java.util.Locale;
import java.util.Optional;
import org.rnn4j.api.data.IndexedDataset;

/**
 * What {@link TextData} (tensors in memory) and {@link StreamedTextData} (sequences cut from a
 * token cache) share: the preprocessing, the unit, and the three splits, of which validation and
 * test may be too short for one sequence.
 *
 * @param <D> how the sequences are held
 */
abstract class TextSplits<D extends IndexedDataset> {
    private final Preprocessing preprocessing;
    private final String unit;
    private final D train;
    private final D validation;
    private final D test;

    TextSplits(Preprocessing preprocessing, String unit, D train, D validation, D test) {
        this.preprocessing = preprocessing;
        this.unit = unit;
        this.train = train;
        this.validation = validation;
        this.test = test;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** {@code character} or {@code word}. */
    public String unit() {
        return unit;
    }

    public D trainingSet() {
        return train;
    }

    public Optional<D> validationSet() {
        return Optional.ofNullable(validation);
    }

    public boolean hasTest() {
        return test != null;
    }

    public D testSet() {
        if (test == null) {
            throw new IllegalArgumentException("the test split of the text is shorter than one sequence; use a longer"
                    + " text (or more --max-chars)");
        }
        return test;
    }

    /** One line: the sequences of each split, and {@code how} they are held (e.g. ", streamed from a token cache"). */
    String describe(String how) {
        return String.format(
                Locale.ROOT,
                "%d train / %d validation / %d test sequences of %ss%s",
                train.count(),
                validation == null ? 0 : validation.count(),
                test == null ? 0 : test.count(),
                unit,
                how);
    }

    public String lossUnit() {
        return "nats per " + unit;
    }
}
