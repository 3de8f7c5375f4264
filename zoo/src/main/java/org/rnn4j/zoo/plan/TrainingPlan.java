package org.rnn4j.zoo.plan;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.rnn4j.api.data.MemoryBudget;
import org.rnn4j.api.data.SampleOrder;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.series.ChronologicalSplit;
import org.rnn4j.data.series.Differencing;
import org.rnn4j.data.series.SeriesColumns;
import org.rnn4j.data.text.InputEncoding;
import org.rnn4j.data.text.TokenFile;
import org.rnn4j.zoo.ZooModel;
import org.rnn4j.zoo.evaluation.ForecastStrategy;
import org.rnn4j.zoo.recipe.PreparedData;
import org.rnn4j.zoo.recipe.Preprocessing;
import org.rnn4j.zoo.recipe.Recipe;
import org.rnn4j.zoo.recipe.StockData;
import org.rnn4j.zoo.recipe.StockPreprocessing;
import org.rnn4j.zoo.recipe.StockRecipe;
import org.rnn4j.zoo.recipe.StreamedStockData;
import org.rnn4j.zoo.recipe.TextPreprocessing;
import org.rnn4j.zoo.recipe.TextRecipe;
import org.rnn4j.zoo.recipe.WordRecipe;

/**
 * What to train and on what, decided before any engine starts: a zoo model or a spec, with its data
 * read and prepared. For a spec the preparation follows its shapes (or its {@link DataBlock}):
 * <ul>
 *   <li>int32 token ids into an {@code Embedding}, or one-hot {@code [sequence, vocab]} with a
 *   sparse categorical cross-entropy loss: text, cut into sequences of characters (or words, by
 *   the data block) predicting the next one;</li>
 *   <li>float32 {@code [window, k]} with output {@code [H]}: a series of {@code k} columns
 *   ({@code --columns} or the data block when {@code k > 1}) predicting the target's next value
 *   ({@code H = 1}) or its next {@code H} values directly.</li>
 * </ul>
 *
 * @param name   the run's name (the zoo model's or the spec's)
 * @param spec   the spec sized for the data
 * @param source where the data came from ({@code sp500}, a path)
 * @param data   the prepared data
 * @param read   how a series was read ({@code null} for text)
 */
public record TrainingPlan(String name, ModelSpec spec, String source, PreparedData data, ReadOptions read) {

    /** Text specs without a data block use the first this many characters, as the char zoo model. */
    public static final int DEFAULT_MAX_CHARS = 300_000;

    static final ChronologicalSplit TEXT_SPLIT = new ChronologicalSplit(0.8, 0.1, 0.1);
    static final int CHAR_STRIDE = 3;
    static final int WORD_STRIDE = 5;

    public TrainingPlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(data, "data");
    }

    /** Where the data came from, for people: the source and, for a long-format file, the series read. */
    public String sourceLabel() {
        return read != null && read.symbol() != null ? source + " (" + read.by() + " " + read.symbol() + ")" : source;
    }

    /** The extras a saved model needs to read raw data again: the preprocessing, the data source and how it was read. */
    public ObjectNode modelExtras() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("data", source);
        o.set(Preprocessing.EXTRAS_FIELD, data.preprocessing().toJson());
        if (read != null) {
            o.set(ReadOptions.FIELD, read.toJson());
        }
        return o;
    }

    /** A zoo model on its default data or {@code request.data()}, shaped by the request, prepared in memory. */
    public static TrainingPlan forZoo(ZooModel zoo, DataRequest request) throws IOException {
        return forZoo(zoo, request, Streaming.OFF);
    }

    /** As {@link #forZoo(ZooModel, DataRequest)}, a large file streamed as {@code streaming} decides. */
    public static TrainingPlan forZoo(ZooModel zoo, DataRequest request, Streaming streaming) throws IOException {
        Recipe recipe = zoo.recipe();
        String source = request.data() != null ? request.data() : zoo.defaultData();
        if (recipe instanceof StockRecipe stock) {
            return series(zoo.name(), stock, source, request, p -> zoo.spec(p), streaming);
        }
        if (request.hasSeriesOptions()) {
            throw new IllegalArgumentException("--target, --columns, --symbol, --differencing, --order and --horizon"
                    + " apply to series models; " + zoo.name() + " is a text model");
        }
        Recipe shaped;
        if (recipe instanceof TextRecipe t) {
            shaped = request.maxChars() != null ? t.withMaxCharacters(request.maxChars()) : t;
        } else if (recipe instanceof WordRecipe w) {
            shaped = request.maxChars() != null ? w.withMaxCharacters(request.maxChars()) : w;
        } else {
            throw new IllegalStateException("unhandled recipe " + recipe);
        }
        PreparedData d = textData(shaped, source, streaming);
        return new TrainingPlan(zoo.name(), zoo.spec(d.preprocessing()), source, d, null);
    }

    /** A text recipe's data: the text read and cut in memory, or streamed from its token cache. */
    private static PreparedData textData(Recipe recipe, String source, Streaming streaming) throws IOException {
        if (streaming.streams(recipe, source, null, 1)) {
            Path file = Path.of(source);
            if (recipe instanceof TextRecipe t) {
                TokenFile tokens =
                        TokenFile.characters(file, t.maxCharacters(), streaming.cache(), streaming.progress());
                note(streaming, tokens.wasBuilt(), tokens.rebuildReason(), tokens.path());
                TextPreprocessing p = new TextPreprocessing(
                        tokens.vocabulary(), t.sequenceLength(), t.stride(), t.input(), t.maxCharacters(), t.split());
                return checkedStream(p.stream(tokens.ids()), tokens.length() / t.stride());
            }
            WordRecipe w = (WordRecipe) recipe;
            TokenFile tokens = TokenFile.words(
                    file,
                    w.maxCharacters(),
                    w.tokenizerOptions(),
                    w.split(),
                    w.numWords() - 2,
                    streaming.cache(),
                    streaming.progress());
            note(streaming, tokens.wasBuilt(), tokens.rebuildReason(), tokens.path());
            return checkedStream(w.fit(tokens.tokenizer()).stream(tokens.ids()), tokens.length() / w.stride());
        }
        // Only the characters the recipe keeps are read, so a file above the text cap still trains on its start.
        String text = DataSource.text(
                source, recipe instanceof TextRecipe t ? t.maxCharacters() : ((WordRecipe) recipe).maxCharacters());
        if (recipe instanceof TextRecipe t) {
            return t.prepare(text);
        }
        return ((WordRecipe) recipe).prepare(text);
    }

    /** Refuses, before training, a streamed run whose shuffle order (or scoring) would not fit the heap. */
    private static <T extends PreparedData> T checkedStream(T data, long windows) {
        long order = windows <= SampleOrder.ARRAY_LIMIT ? 4 * windows : 0;
        long scoring = data instanceof StreamedStockData s ? s.scoringBytes() : 0;
        MemoryBudget.require(
                order + scoring,
                "streaming " + data.describe(),
                "raise the heap (RNN4J_JAVA_OPTS=-Xmx2g) or train on less data");
        return data;
    }

    static void note(Streaming streaming, boolean built, String reason, Path cache) {
        streaming
                .notes()
                .accept(
                        built
                                ? "Built the cache " + cache + " (" + reason + ")"
                                : "Reusing the cache " + cache + " (the file is unchanged)");
    }

    /** Any spec the library can train, its preparation chosen from its shapes or its data block, in memory. */
    public static TrainingPlan forSpec(ModelSpec spec, DataBlock block, DataRequest request) throws IOException {
        return forSpec(spec, block, request, Streaming.OFF);
    }

    /** As {@link #forSpec(ModelSpec, DataBlock, DataRequest)}, a large file streamed as {@code streaming} decides. */
    public static TrainingPlan forSpec(ModelSpec spec, DataBlock block, DataRequest request, Streaming streaming)
            throws IOException {
        if (isText(spec, block)) {
            if (request.hasSeriesOptions()) {
                throw new IllegalArgumentException("--target, --columns, --symbol, --differencing, --order and"
                        + " --horizon apply to series models; " + spec.name() + " reads text (" + shape(spec) + ")");
            }
            return text(spec, block instanceof DataBlock.Text t ? t : null, request, streaming);
        }
        if (request.maxChars() != null) {
            throw new IllegalArgumentException(
                    "--max-chars applies to text models; " + spec.name() + " reads a series (" + shape(spec) + ")");
        }
        return seriesSpec(spec, block instanceof DataBlock.Series s ? s : null, request, streaming);
    }

    private static boolean isText(ModelSpec spec, DataBlock block) {
        if (block != null) {
            return block instanceof DataBlock.Text;
        }
        if (spec.inputDType() == DType.INT32) {
            return true;
        }
        List<Integer> in = spec.inputShape();
        List<Integer> out = spec.outputShape();
        return spec.compile().loss().sparseTargets()
                && in.size() == 2
                && out.size() == 1
                && in.get(1).equals(out.get(0));
    }

    private static String shape(ModelSpec spec) {
        return "input " + spec.inputShape() + " " + spec.inputDType().jsonName() + ", output " + spec.outputShape();
    }

    private static TrainingPlan seriesSpec(
            ModelSpec spec, DataBlock.Series block, DataRequest request, Streaming streaming) throws IOException {
        List<Integer> in = spec.inputShape();
        List<Integer> out = spec.outputShape();
        if (spec.inputDType() != DType.FLOAT32 || in.size() != 2 || in.get(0) < 1 || out.size() != 1) {
            throw new IllegalArgumentException("train --spec trains series models, input [window, columns] float32 and"
                    + " output [horizon], and text models (token ids into an Embedding, or one-hot characters with"
                    + " sparse_categorical_crossentropy); " + spec.name() + " has " + shape(spec));
        }
        int window = in.get(0);
        int features = in.get(1);
        int outputs = out.get(0);
        StockRecipe recipe = StockRecipe.article().withWindow(window);
        if (block != null) {
            if (block.split() != null) {
                recipe = recipe.withSplit(block.split());
            }
            if (block.scaler() != null) {
                recipe = recipe.withScaler(block.scaler());
            }
            if (block.differencing() != null) {
                recipe = recipe.withDifferencing(DataRequest.parseDifferencing(block.differencing(), block.order()));
            } else if (block.order() != null) {
                recipe = recipe.withDifferencing(
                        new Differencing(recipe.differencing().kind(), block.order()));
            }
        }
        ForecastStrategy strategy;
        int horizon;
        if (outputs > 1) {
            if (request.horizon() != null && request.horizon() != outputs) {
                throw new IllegalArgumentException("--horizon " + request.horizon() + " does not match the spec's"
                        + " output [" + outputs + "]: a Dense(" + outputs + ") model forecasts " + outputs
                        + " steps directly");
            }
            if (request.strategy() == ForecastStrategy.RECURSIVE) {
                throw new IllegalArgumentException("--strategy recursive needs a one-step model (output [1]); "
                        + spec.name() + " outputs " + outputs + " steps at once (direct)");
            }
            strategy = ForecastStrategy.DIRECT;
            horizon = outputs;
        } else {
            horizon = request.horizon() != null ? request.horizon() : 1;
            if (request.strategy() == ForecastStrategy.DIRECT && horizon > 1) {
                throw new IllegalArgumentException("--strategy direct with --horizon " + horizon + " needs a spec whose"
                        + " output is [" + horizon + "] (a Dense(" + horizon + ") head); " + spec.name()
                        + " outputs one step, so it forecasts recursively");
            }
            strategy = ForecastStrategy.RECURSIVE;
        }
        recipe = recipe.withHorizon(horizon, strategy);
        List<String> columns = request.columns() != null ? request.columns() : block == null ? null : block.columns();
        String target = request.target() != null ? request.target() : block == null ? null : block.target();
        String source = request.data() != null
                ? request.data()
                : block != null && block.source() != null ? block.source() : DemoData.SP500;
        if (columns == null && features > 1) {
            throw new IllegalArgumentException(spec.name() + " reads " + features + " columns per step (input ["
                    + window + ", " + features + "]); name them in model order with --columns (e.g. --columns"
                    + " open,high,low,close,volume --target close) or in the spec's data block");
        }
        if (columns != null && columns.size() != features) {
            throw new IllegalArgumentException(spec.name() + " reads " + features + " column(s) per step (input ["
                    + window + ", " + features + "]) but " + columns.size() + " are named: " + columns);
        }
        TrainingPlan plan =
                series(spec.name(), recipe, source, request.withColumns(columns, target), p -> spec, streaming);
        Preprocessing.Sizes sizes = plan.data().preprocessing().sizes();
        if (sizes.features() != features || sizes.outputs() != outputs) {
            throw new IllegalStateException("prepared " + sizes + " for " + shape(spec));
        }
        return plan;
    }

    private static TrainingPlan series(
            String name,
            StockRecipe base,
            String source,
            DataRequest request,
            Function<StockPreprocessing, ModelSpec> specFor,
            Streaming streaming)
            throws IOException {
        if (request.maxChars() != null) {
            throw new IllegalArgumentException("--max-chars applies to text models; " + name + " reads a series");
        }
        ReadOptions read = request.read();
        List<String> columns = request.columns();
        String target = request.target();
        if (target == null && columns != null && columns.size() == 1) {
            target = columns.get(0);
        }
        if (target == null && columns != null) {
            String preferred = DataSource.defaultColumnOrNull(source, read, base.column());
            target = columns.stream()
                    .filter(c -> c.equalsIgnoreCase(preferred))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "name the column to forecast among " + request.columns() + " with --target"));
        }
        if (target == null) {
            target = DataSource.defaultColumn(source, read, base.column());
        }
        StockRecipe recipe = base.withColumns(columns != null ? columns : List.of(target), target);
        if (request.differencing() != null) {
            recipe = recipe.withDifferencing(DataRequest.parseDifferencing(request.differencing(), request.order()));
        } else if (request.order() != null) {
            if (recipe.differencing() == null) {
                throw new IllegalArgumentException("--order applies to absolute or percent differencing; give"
                        + " --differencing absolute or percent");
            }
            recipe = recipe.withDifferencing(
                    new Differencing(recipe.differencing().kind(), request.order()));
        }
        if (request.horizon() != null || request.strategy() != null) {
            int h = request.horizon() != null ? request.horizon() : recipe.horizon();
            ForecastStrategy s = request.strategy() != null
                    ? request.strategy()
                    : recipe.inputColumns().size() > 1 && h > 1 ? ForecastStrategy.DIRECT : recipe.strategy();
            recipe = recipe.withHorizon(h, s);
        }
        List<String> needed = new ArrayList<>(recipe.inputColumns());
        if (streaming.streams(recipe, source, null, needed.size())) {
            DataSource.StreamedInput input = DataSource.streamedSeries(source, needed, read, streaming);
            note(
                    streaming,
                    input.columns().wasBuilt(),
                    input.columns().rebuildReason(),
                    input.columns().path());
            SeriesColumns columns2 = input.columns().series();
            StreamedStockData d = recipe.fit(columns2).stream(columns2);
            checkedStream(d, d.trainingSet().count());
            return new TrainingPlan(name, specFor.apply(d.preprocessing()), input.source(), d, read);
        }
        DataSource.SeriesInput input = DataSource.series(source, needed, read);
        StockData d = recipe.prepare(input.series());
        return new TrainingPlan(name, specFor.apply(d.preprocessing()), input.source(), d, read);
    }

    private static TrainingPlan text(ModelSpec spec, DataBlock.Text block, DataRequest request, Streaming streaming)
            throws IOException {
        if (!spec.compile().loss().sparseTargets()) {
            throw new IllegalArgumentException(spec.name() + " reads text (" + shape(spec) + ") but its loss is "
                    + spec.compile().loss().jsonName()
                    + "; next-token models train with sparse_categorical_crossentropy on token ids");
        }
        List<Integer> in = spec.inputShape();
        List<Integer> out = spec.outputShape();
        boolean ids = spec.inputDType() == DType.INT32;
        int sequence = in.get(0);
        if (sequence < 1 || out.size() != 1 || (ids && in.size() != 1) || (!ids && in.size() != 2)) {
            throw new IllegalArgumentException(spec.name() + " has " + shape(spec) + "; a next-token model takes"
                    + " [sequence] int32 ids (or [sequence, vocab] one-hot) and outputs [vocab] probabilities");
        }
        int classes = out.get(0);
        int inputWidth;
        if (ids) {
            if (!(spec.layers().get(0) instanceof EmbeddingSpec e)) {
                throw new IllegalArgumentException(spec.name() + " takes int32 token ids, so its first layer must be an"
                        + " Embedding, got " + spec.layers().get(0).typeName());
            }
            inputWidth = e.inputDim();
        } else {
            inputWidth = in.get(1);
        }
        String unit = block != null && block.unit() != null ? block.unit() : "character";
        ChronologicalSplit split = block != null && block.split() != null ? block.split() : TEXT_SPLIT;
        int maxChars = request.maxChars() != null
                ? request.maxChars()
                : block != null && block.maxChars() != null ? block.maxChars() : DEFAULT_MAX_CHARS;
        String source = request.data() != null
                ? request.data()
                : block != null && block.source() != null ? block.source() : DemoData.KJV;
        PreparedData d;
        if (unit.equals("word")) {
            if (!ids) {
                throw new IllegalArgumentException("word models take int32 word ids into an Embedding; " + spec.name()
                        + " takes one-hot input " + in);
            }
            if (classes < inputWidth) {
                throw new IllegalArgumentException(spec.name() + " embeds " + inputWidth + " word ids but predicts "
                        + classes + " classes; a word model predicts every id it reads: make the last Dense's units "
                        + inputWidth);
            }
            int stride = block != null && block.stride() != null ? block.stride() : WORD_STRIDE;
            d = textData(new WordRecipe(inputWidth, sequence, stride, maxChars, split), source, streaming);
        } else {
            int stride = block != null && block.stride() != null ? block.stride() : CHAR_STRIDE;
            TextRecipe recipe =
                    new TextRecipe(sequence, stride, ids ? InputEncoding.IDS : InputEncoding.ONE_HOT, maxChars, split);
            d = textData(recipe, source, streaming);
            int vocab = d.preprocessing().sizes().features();
            if (ids ? vocab > inputWidth : vocab != inputWidth) {
                throw new IllegalArgumentException("the text (" + source + (maxChars > 0 ? ", first " + maxChars : "")
                        + " characters) has " + vocab + " distinct characters but " + spec.name()
                        + (ids
                                ? "'s Embedding takes input_dim " + inputWidth
                                : " takes one-hot vectors of " + inputWidth)
                        + "; size the " + (ids ? "Embedding's input_dim" : "input")
                        + " and the last Dense's units to " + vocab);
            }
            if (classes < vocab) {
                throw new IllegalArgumentException("the text has " + vocab + " distinct characters but " + spec.name()
                        + " predicts " + classes + " classes; make the last Dense's units " + vocab);
            }
        }
        return new TrainingPlan(spec.name(), spec, source, d, null);
    }
}
