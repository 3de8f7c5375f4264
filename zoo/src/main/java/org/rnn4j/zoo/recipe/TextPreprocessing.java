package org.rnn4j.zoo.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.sampling.TemperatureSampler;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.SplitBoundaries;
import org.rnn4j.data.text.CharVocabulary;
import org.rnn4j.data.text.IdSequence;
import org.rnn4j.data.text.InputEncoding;
import org.rnn4j.data.text.OneHot;
import org.rnn4j.data.text.TargetKind;
import org.rnn4j.data.text.TextWindowSpec;
import org.rnn4j.data.text.TextWindows;
import org.rnn4j.data.text.TokenFile;

/**
 * A fitted {@link TextRecipe}: the character vocabulary and the sequence shape. Encodes text as
 * model inputs ({@code [n, sequenceLength, vocab]} one-hot or {@code [n, sequenceLength]} ids) and
 * samples text from a model's next-character probabilities.
 */
public record TextPreprocessing(
        CharVocabulary vocabulary,
        int sequenceLength,
        int stride,
        InputEncoding input,
        int maxCharacters,
        ChronologicalSplit split)
        implements TokenPreprocessing {

    public static final String KIND = "char";

    public TextPreprocessing {
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(split, "split");
        if (sequenceLength < 1 || stride < 1 || maxCharacters < 0) {
            throw new IllegalArgumentException(
                    "char preprocessing needs sequenceLength >= 1, stride >= 1, maxCharacters >= 0; got "
                            + sequenceLength + ", " + stride + ", " + maxCharacters);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Cuts the first {@code maxCharacters} of {@code text} into the three splits with this vocabulary. */
    public TextData windows(String text) {
        int[] ids = vocabulary.encode(TextRecipe.head(text, maxCharacters));
        return cut(this, ids, vocabulary.size(), sequenceLength, stride, input, split, "character");
    }

    static TextData cut(
            Preprocessing p,
            int[] ids,
            int vocabularySize,
            int sequenceLength,
            int stride,
            InputEncoding input,
            ChronologicalSplit split,
            String unit) {
        Parts parts = split(IdSequence.of(ids), vocabularySize, sequenceLength, stride, input, split, unit);
        return new TextData(p, unit, dataset(parts.train()), dataset(parts.validation()), dataset(parts.test()));
    }

    /**
     * Cuts the ids of a text of any size (a memory-mapped {@link TokenFile}'s, whose vocabulary
     * must be this preprocessing's) into train / validation / test datasets made batch by batch:
     * the same sequences {@link #windows(String)} holds as tensors for a small text.
     */
    public StreamedTextData stream(IdSequence ids) {
        return stream(this, ids, vocabulary.size(), sequenceLength, stride, input, split, "character");
    }

    static StreamedTextData stream(
            Preprocessing p,
            IdSequence ids,
            int vocabularySize,
            int sequenceLength,
            int stride,
            InputEncoding input,
            ChronologicalSplit split,
            String unit) {
        Parts parts = split(ids, vocabularySize, sequenceLength, stride, input, split, unit);
        return new StreamedTextData(p, unit, parts.train(), parts.validation(), parts.test());
    }

    /** The sequences of the three splits; validation and test {@code null} when too short for one sequence. */
    private record Parts(TextWindows train, TextWindows validation, TextWindows test) {}

    private static Parts split(
            IdSequence ids,
            int vocabularySize,
            int sequenceLength,
            int stride,
            InputEncoding input,
            ChronologicalSplit split,
            String unit) {
        SplitBoundaries b = split.boundaries(ids.length());
        TextWindowSpec spec = new TextWindowSpec(sequenceLength, stride, input, TargetKind.NEXT_AFTER_LAST);
        if (b.trainSize() < sequenceLength + 1) {
            throw new IllegalArgumentException(
                    "the training split holds " + b.trainSize() + " " + unit + "s but sequences of " + sequenceLength
                            + " need at least " + (sequenceLength + 1) + "; use a longer text");
        }
        return new Parts(
                TextWindows.of(ids.slice(0, b.trainEnd()), vocabularySize, spec),
                part(ids, b.trainEnd(), b.validationEnd(), vocabularySize, spec),
                part(ids, b.validationEnd(), ids.length(), vocabularySize, spec));
    }

    private static TextWindows part(IdSequence ids, int from, int to, int vocabularySize, TextWindowSpec spec) {
        return to - from < spec.window() + 1 ? null : TextWindows.of(ids.slice(from, to), vocabularySize, spec);
    }

    private static TensorDataset dataset(TextWindows w) {
        return w == null ? null : TensorDataset.of(w.inputs(), w.targets());
    }

    /** The id the context is padded with when the seed is shorter than a sequence: newline, else space, else 0. */
    public int paddingId() {
        if (vocabulary.contains('\n')) {
            return vocabulary.id('\n');
        }
        return vocabulary.contains(' ') ? vocabulary.id(' ') : 0;
    }

    /** The last {@code sequenceLength} characters of {@code context} as one model input, left-padded. */
    public Tensor encodeContext(String context) {
        int[] ids = vocabulary.encode(context);
        int[] window = new int[sequenceLength];
        Arrays.fill(window, paddingId());
        int n = Math.min(ids.length, sequenceLength);
        System.arraycopy(ids, ids.length - n, window, sequenceLength - n, n);
        return input(window);
    }

    private Tensor input(int[] window) {
        Tensor ids = Tensor.ofInts(window, 1, sequenceLength);
        return input == InputEncoding.ONE_HOT ? OneHot.encode(ids, vocabulary.size()) : ids;
    }

    /**
     * Samples exactly {@code length} characters after {@code seed}: each step feeds the last
     * {@code sequenceLength} characters (left-padded) to the model and draws the next one from its
     * probabilities with {@code sampler}. The same {@code random} seed gives the same text.
     *
     * @param model maps one input to next-character probabilities {@code [1, vocab]}
     */
    @Override
    public String generate(
            String seed, int length, TemperatureSampler sampler, RandomGenerator random, UnaryOperator<Tensor> model) {
        int[] out = TokenSampling.sample(
                vocabulary.encode(seed),
                sequenceLength,
                paddingId(),
                vocabulary.size(),
                vocabulary.size(),
                -1,
                length,
                sampler,
                random,
                this::input,
                model);
        return vocabulary.decode(out);
    }

    @Override
    public String unit() {
        return "character";
    }

    @Override
    public void checkSeed(String seed) {
        vocabulary.encode(seed);
    }

    @Override
    public String separator() {
        return "";
    }

    @Override
    public Sizes sizes() {
        return new Sizes(vocabulary.size(), vocabulary.size());
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("kind", KIND);
        o.set("vocabulary", MAPPER.valueToTree(vocabulary));
        o.put("sequenceLength", sequenceLength);
        o.put("stride", stride);
        o.put("input", input == InputEncoding.ONE_HOT ? "one_hot" : "ids");
        o.put("maxCharacters", maxCharacters);
        o.set("split", MAPPER.valueToTree(split));
        return o;
    }

    static TextPreprocessing fromJson(JsonNode o) {
        Preprocessing.allowOnly(o, "kind", "vocabulary", "sequenceLength", "stride", "input", "maxCharacters", "split");
        CharVocabulary v = Preprocessing.convert(o, "vocabulary", CharVocabulary.class);
        String in = Preprocessing.requireText(o, "input");
        InputEncoding enc = switch (in) {
            case "one_hot" -> InputEncoding.ONE_HOT;
            case "ids" -> InputEncoding.IDS;
            default -> throw new IllegalArgumentException("input must be one_hot or ids, got '" + in + "'");
        };
        return new TextPreprocessing(
                v,
                Preprocessing.requireInt(o, "sequenceLength"),
                Preprocessing.requireInt(o, "stride"),
                enc,
                Preprocessing.requireInt(o, "maxCharacters"),
                Preprocessing.convert(o, "split", ChronologicalSplit.class));
    }
}
