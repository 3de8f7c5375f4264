package org.rnn4j.api.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.FitOptions;
import org.rnn4j.api.compile.LearningRateSchedule;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.LossOptions;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.input.BoundedInput;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.ActivationSpec;
import org.rnn4j.api.layers.BatchNormalizationSpec;
import org.rnn4j.api.layers.BidirectionalSpec;
import org.rnn4j.api.layers.Constraint;
import org.rnn4j.api.layers.Conv1DSpec;
import org.rnn4j.api.layers.DenseSpec;
import org.rnn4j.api.layers.DropoutSpec;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.layers.FlattenSpec;
import org.rnn4j.api.layers.GlobalPooling1DSpec;
import org.rnn4j.api.layers.GruSpec;
import org.rnn4j.api.layers.Initializer;
import org.rnn4j.api.layers.LayerNormalizationSpec;
import org.rnn4j.api.layers.LayerSpec;
import org.rnn4j.api.layers.LayerVisitor;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.layers.MaskingSpec;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.layers.Padding;
import org.rnn4j.api.layers.Pooling1DSpec;
import org.rnn4j.api.layers.RecurrentOptions;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.layers.Regularizer;
import org.rnn4j.api.layers.RepeatVectorSpec;
import org.rnn4j.api.layers.SimpleRnnSpec;
import org.rnn4j.api.layers.TimeDistributedSpec;
import org.rnn4j.api.layers.WeightRules;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.DType;

/**
 * rnn4j's own spec format ({@code "format": "rnn4j.spec/1"}): human-written JSON with Keras names
 * and Keras 3 defaults. Reading is strict: an unknown field, layer type or value is an error that
 * names its JSON path and lists what is allowed. Writing spells out every option, so
 * {@code read(write(spec))} equals {@code spec}.
 */
public final class SpecJson {
    public static final String FORMAT = "rnn4j.spec/1";

    /** The closed registry of layer type names. */
    public static final List<String> LAYER_TYPES = List.of(
            "SimpleRNN",
            "LSTM",
            "GRU",
            "Embedding",
            "Dense",
            "Dropout",
            "BatchNormalization",
            "Bidirectional",
            "TimeDistributed",
            "Masking",
            "Conv1D",
            "MaxPooling1D",
            "AveragePooling1D",
            "GlobalAveragePooling1D",
            "GlobalMaxPooling1D",
            "LayerNormalization",
            "Flatten",
            "RepeatVector",
            "Activation");

    private static final ObjectMapper MAPPER = mapper();

    private SpecJson() {}

    /** A Jackson mapper with input limits suited to files from strangers. */
    public static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper();
        m.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(1 << 20)
                        .maxNumberLength(64)
                        .build());
        // A key given twice would otherwise silently keep its last value; refuse it instead.
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        m.enable(SerializationFeature.INDENT_OUTPUT);
        return m;
    }

    /** Parses JSON text, turning syntax errors into one-line {@link SpecException}s. */
    public static JsonNode parse(String json, String source) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new SpecException("", source + " is empty; expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw syntaxError(e, source);
        }
    }

    /**
     * The one-line form of a Jackson parse error in {@code source}: the line and column, and for a
     * key given twice the key and the JSON path of the object holding it.
     */
    public static SpecException syntaxError(JsonProcessingException e, String source) {
        var loc = e.getLocation();
        String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        if (e.getProcessor() instanceof JsonParser p
                && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("Duplicate field")) {
            JsonStreamContext ctx = p.getParsingContext();
            return new SpecException(
                    objectPath(ctx),
                    source + ": duplicate key '" + ctx.getCurrentName() + "'" + where
                            + "; a key may appear only once in an object",
                    e);
        }
        return new SpecException(
                "", source + " is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()), e);
    }

    /** {@code $.layers[0].config} for the object that {@code ctx} is in. */
    private static String objectPath(JsonStreamContext ctx) {
        StringBuilder b = new StringBuilder();
        for (JsonStreamContext c = ctx.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
            b.insert(0, c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        return "$" + b;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Reads a spec file of at most {@link InputCap#JSON} bytes (a regular file only). */
    public static ModelSpec read(Path file) throws IOException {
        return read(BoundedInput.readUtf8(file, InputCap.JSON), file.toString());
    }

    public static ModelSpec read(String json) {
        return read(json, "spec");
    }

    public static ModelSpec read(String json, String source) {
        return read(parse(json, source));
    }

    /** Reads an already parsed rnn4j spec. */
    public static ModelSpec read(JsonNode node) {
        JsonObject root = new JsonObject(node, "$");
        String format = root.optString("format", null);
        if (format == null) {
            throw new SpecException(
                    "$.format",
                    "is required: \"" + FORMAT
                            + "\" (or give a Keras / TensorFlow.js file, which is detected by its keys)");
        }
        if (!FORMAT.equals(format)) {
            throw new SpecException(
                    "$.format", "unsupported format '" + format + "'; this version reads \"" + FORMAT + "\"");
        }
        String name = root.optString("name", "sequential");
        JsonObject input = root.requireObject("input");
        List<Integer> shape = input.requireShape("shape");
        DType dtype = parseEnum(input, "dtype", "float32", DType::fromJson);
        input.finish();
        List<LayerSpec> layers = new ArrayList<>();
        List<JsonNode> items = root.requireArray("layers");
        for (int i = 0; i < items.size(); i++) {
            layers.add(readLayer(new JsonObject(items.get(i), "$.layers[" + i + "]")));
        }
        CompileSpec compile =
                root.has("compile") ? readCompile(root.requireObject("compile")) : markAbsent(root, "compile");
        FitOptions fit = root.has("fit") ? readFit(root.requireObject("fit")) : markAbsent(root, "fit");
        List<String> issues = new ArrayList<>();
        if (root.has("training_issues")) {
            List<JsonNode> texts = root.requireArray("training_issues");
            for (int i = 0; i < texts.size(); i++) {
                if (!texts.get(i).isTextual()) {
                    throw new SpecException(
                            "$.training_issues[" + i + "]",
                            "must be a string, got " + JsonObject.describe(texts.get(i)));
                }
                issues.add(texts.get(i).asText());
            }
        } else {
            root.raw("training_issues");
        }
        root.finish();
        try {
            return new ModelSpec(name, shape, dtype, layers, compile, fit, issues);
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException("$", e.getMessage(), e);
        }
    }

    /** Marks an optional block as read (so it is not reported as unknown) and stands for its absence. */
    @SuppressWarnings("TypeParameterUnusedInFormals") // a typed null for either branch of a conditional
    private static <T> T markAbsent(JsonObject o, String field) {
        o.raw(field);
        return null;
    }

    private static LayerSpec readLayer(JsonObject o) {
        String type = o.requireString("type");
        try {
            LayerSpec layer = switch (type) {
                case "SimpleRNN" -> new SimpleRnnSpec(name(o), o.requireInt("units"), recurrentOptions(o));
                case "LSTM" -> {
                    String n = name(o);
                    int units = o.requireInt("units");
                    RecurrentOptions opts = recurrentOptions(o);
                    yield new LstmSpec(n, units, opts, o.optBool("unit_forget_bias", true));
                }
                case "GRU" -> {
                    String n = name(o);
                    int units = o.requireInt("units");
                    RecurrentOptions opts = recurrentOptions(o);
                    yield new GruSpec(n, units, opts, o.optBool("reset_after", true));
                }
                case "Embedding" ->
                    new EmbeddingSpec(
                            name(o),
                            o.requireInt("input_dim"),
                            o.requireInt("output_dim"),
                            o.optBool("mask_zero", false),
                            initializer(o, "embeddings_initializer", new Initializer.RandomUniform(-0.05, 0.05)),
                            rules(o, "embeddings", false, false));
                case "Dense" -> readDense(o);
                case "Dropout" -> new DropoutSpec(name(o), o.requireDouble("rate"));
                case "BatchNormalization" ->
                    new BatchNormalizationSpec(
                            name(o),
                            o.optDouble("momentum", 0.99),
                            o.optDouble("epsilon", 1e-3),
                            o.optBool("center", true),
                            o.optBool("scale", true));
                case "Bidirectional" -> {
                    String n = name(o);
                    LayerSpec inner = readLayer(o.requireObject("layer"));
                    if (!(inner instanceof RecurrentSpec r)) {
                        throw new SpecException(
                                o.path("layer"),
                                "Bidirectional wraps a SimpleRNN, LSTM or GRU, got " + inner.typeName());
                    }
                    yield new BidirectionalSpec(n, r, parseEnum(o, "merge_mode", "concat", MergeMode::fromJson));
                }
                case "TimeDistributed" -> {
                    String n = name(o);
                    LayerSpec inner = readLayer(o.requireObject("layer"));
                    try {
                        yield new TimeDistributedSpec(n, inner);
                    } catch (IllegalArgumentException e) {
                        throw new SpecException(o.path("layer"), e.getMessage(), e);
                    }
                }
                case "Masking" -> new MaskingSpec(name(o), o.optDouble("mask_value", 0));
                case "Conv1D" ->
                    new Conv1DSpec(
                            name(o),
                            o.requireInt("filters"),
                            o.requireInt("kernel_size"),
                            o.optInt("strides", 1),
                            parseEnum(o, "padding", "valid", Padding::fromJson),
                            o.optInt("dilation_rate", 1),
                            parseEnum(o, "activation", "linear", Activation::fromJson),
                            o.optBool("use_bias", true),
                            initializer(o, "kernel_initializer", Initializer.glorotUniform()),
                            initializer(o, "bias_initializer", Initializer.zeros()),
                            rules(o, "kernel", false, true));
                case "MaxPooling1D", "AveragePooling1D" -> {
                    String n = name(o);
                    int pool = o.optInt("pool_size", 2);
                    yield new Pooling1DSpec(
                            n,
                            type.equals("MaxPooling1D") ? Pooling1DSpec.Pool.MAX : Pooling1DSpec.Pool.AVERAGE,
                            pool,
                            o.optInt("strides", pool),
                            parseEnum(o, "padding", "valid", Padding::fromJson));
                }
                case "GlobalAveragePooling1D", "GlobalMaxPooling1D" ->
                    new GlobalPooling1DSpec(
                            name(o),
                            type.equals("GlobalMaxPooling1D") ? Pooling1DSpec.Pool.MAX : Pooling1DSpec.Pool.AVERAGE,
                            o.optBool("keepdims", false));
                case "LayerNormalization" ->
                    new LayerNormalizationSpec(
                            name(o), o.optDouble("epsilon", 1e-3), o.optBool("center", true), o.optBool("scale", true));
                case "Flatten" -> new FlattenSpec(name(o));
                case "RepeatVector" -> new RepeatVectorSpec(name(o), o.requireInt("n"));
                case "Activation" ->
                    new ActivationSpec(name(o), parseEnum(o, "activation", null, Activation::fromJson));
                default ->
                    throw new SpecException(o.path("type"), "unknown layer type '" + type + "'; known: " + LAYER_TYPES);
            };
            o.finish();
            return layer;
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(o.path(), e.getMessage(), e);
        }
    }

    private static DenseSpec readDense(JsonObject o) {
        return new DenseSpec(
                name(o),
                o.requireInt("units"),
                parseEnum(o, "activation", "linear", Activation::fromJson),
                o.optBool("use_bias", true),
                initializer(o, "kernel_initializer", Initializer.glorotUniform()),
                initializer(o, "bias_initializer", Initializer.zeros()),
                rules(o, "kernel", false, true));
    }

    /**
     * The regularizers and constraints of a layer: {@code <kernel>_regularizer},
     * {@code recurrent_regularizer} (when {@code recurrent}), {@code bias_regularizer} (when
     * {@code bias}), {@code activity_regularizer}, and the same {@code _constraint}s.
     */
    static WeightRules rules(JsonObject o, String kernel, boolean recurrent, boolean bias) {
        return new WeightRules(
                regularizer(o, kernel + "_regularizer"),
                recurrent ? regularizer(o, "recurrent_regularizer") : null,
                bias ? regularizer(o, "bias_regularizer") : null,
                regularizer(o, "activity_regularizer"),
                constraint(o, kernel + "_constraint"),
                recurrent ? constraint(o, "recurrent_constraint") : null,
                bias ? constraint(o, "bias_constraint") : null);
    }

    /** {@code {"l1": x, "l2": y}} (either may be left out), or null for none. */
    static Regularizer regularizer(JsonObject o, String field) {
        if (!o.has(field)) {
            o.raw(field);
            return null;
        }
        JsonObject r = o.requireObject(field);
        try {
            Regularizer reg = new Regularizer(r.optDouble("l1", 0), r.optDouble("l2", 0));
            r.finish();
            return reg;
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(r.path(), e.getMessage(), e);
        }
    }

    /** The closed list of constraint names. */
    public static final List<String> CONSTRAINTS = List.of("max_norm", "non_neg", "unit_norm", "min_max_norm");

    /** A constraint object with {@code type} and Keras's arguments ({@code axis} an int or a list), or null. */
    static Constraint constraint(JsonObject o, String field) {
        if (!o.has(field)) {
            o.raw(field);
            return null;
        }
        JsonObject c = o.requireObject(field);
        String type = c.requireString("type");
        try {
            Constraint out = switch (type) {
                case "max_norm" -> new Constraint.MaxNorm(c.optDouble("max_value", 2), axes(c));
                case "non_neg" -> new Constraint.NonNeg();
                case "unit_norm" -> new Constraint.UnitNorm(axes(c));
                case "min_max_norm" ->
                    new Constraint.MinMaxNorm(
                            c.optDouble("min_value", 0), c.optDouble("max_value", 1), c.optDouble("rate", 1), axes(c));
                default ->
                    throw new SpecException(c.path("type"), "unknown constraint '" + type + "'; known: " + CONSTRAINTS);
            };
            c.finish();
            return out;
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(c.path(), e.getMessage(), e);
        }
    }

    private static List<Integer> axes(JsonObject c) {
        if (!c.has("axis")) {
            c.raw("axis");
            return List.of(0);
        }
        JsonNode a = c.raw("axis");
        if (a.isIntegralNumber()) {
            return List.of(a.asInt());
        }
        if (a.isArray()) {
            return c.requireShape("axis");
        }
        throw new SpecException(c.path("axis"), "must be an axis or a list of axes, got " + JsonObject.describe(a));
    }

    private static String name(JsonObject o) {
        return o.optString("name", null);
    }

    private static RecurrentOptions recurrentOptions(JsonObject o) {
        return new RecurrentOptions(
                parseEnum(o, "activation", "tanh", Activation::fromJson),
                parseEnum(o, "recurrent_activation", "sigmoid", Activation::fromJson),
                o.optBool("use_bias", true),
                o.optBool("return_sequences", false),
                o.optBool("go_backwards", false),
                o.optDouble("dropout", 0),
                o.optDouble("recurrent_dropout", 0),
                initializer(o, "kernel_initializer", Initializer.glorotUniform()),
                initializer(o, "recurrent_initializer", Initializer.orthogonal()),
                initializer(o, "bias_initializer", Initializer.zeros()),
                o.optBool("unroll", false),
                rules(o, "kernel", true, true));
    }

    private static <T> T parseEnum(JsonObject o, String field, String def, Function<String, T> parser) {
        String text = o.optString(field, def);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new SpecException(o.path(field), e.getMessage(), e);
        }
    }

    /** Initializers: a name ({@code "glorot_uniform"}) or an object with {@code type} and parameters. */
    static Initializer initializer(JsonObject o, String field, Initializer def) {
        if (!o.has(field)) {
            o.raw(field);
            return def;
        }
        JsonNode v = o.raw(field);
        String path = o.path(field);
        if (v.isTextual()) {
            return namedInitializer(v.asText(), path);
        }
        JsonObject io = new JsonObject(v, path);
        String type = io.requireString("type");
        Initializer init;
        try {
            init = switch (type) {
                case "constant" -> new Initializer.Constant(io.requireDouble("value"));
                case "random_uniform" ->
                    new Initializer.RandomUniform(io.optDouble("minval", -0.05), io.optDouble("maxval", 0.05));
                case "random_normal" ->
                    new Initializer.RandomNormal(io.optDouble("mean", 0), io.optDouble("stddev", 0.05));
                case "truncated_normal" ->
                    new Initializer.TruncatedNormal(io.optDouble("mean", 0), io.optDouble("stddev", 0.05));
                case "orthogonal" -> new Initializer.Orthogonal(io.optDouble("gain", 1));
                case "variance_scaling" ->
                    new Initializer.VarianceScaling(
                            io.optDouble("scale", 1),
                            Initializer.FanMode.valueOf(
                                    io.optString("mode", "fan_in").toUpperCase(java.util.Locale.ROOT)),
                            Initializer.Distribution.valueOf(io.optString("distribution", "truncated_normal")
                                    .toUpperCase(java.util.Locale.ROOT)));
                default -> namedInitializer(type, io.path("type"));
            };
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage(), e);
        }
        io.finish();
        return init;
    }

    private static final Map<String, Initializer> NAMED = Map.of(
            "glorot_uniform", Initializer.glorotUniform(),
            "glorot_normal", Initializer.glorotNormal(),
            "he_uniform",
                    new Initializer.VarianceScaling(2, Initializer.FanMode.FAN_IN, Initializer.Distribution.UNIFORM),
            "he_normal",
                    new Initializer.VarianceScaling(
                            2, Initializer.FanMode.FAN_IN, Initializer.Distribution.TRUNCATED_NORMAL),
            "lecun_uniform",
                    new Initializer.VarianceScaling(1, Initializer.FanMode.FAN_IN, Initializer.Distribution.UNIFORM),
            "lecun_normal",
                    new Initializer.VarianceScaling(
                            1, Initializer.FanMode.FAN_IN, Initializer.Distribution.TRUNCATED_NORMAL),
            "orthogonal", Initializer.orthogonal(),
            "zeros", Initializer.zeros(),
            "ones", new Initializer.Ones());

    private static Initializer namedInitializer(String name, String path) {
        Initializer init = NAMED.get(name);
        if (init == null) {
            throw new SpecException(
                    path,
                    "unknown initializer '" + name + "'; known: " + new java.util.TreeSet<>(NAMED.keySet())
                            + " or an object with type constant, random_uniform, random_normal, truncated_normal, orthogonal,"
                            + " variance_scaling");
        }
        return init;
    }

    /** A {@code compile} block (loss, optimizer, metrics) on its own, e.g. from a reference case. */
    public static CompileSpec readCompile(JsonNode node, String path) {
        return readCompile(new JsonObject(node, path));
    }

    static CompileSpec readCompile(JsonObject o) {
        Loss loss;
        LossOptions lossOptions = LossOptions.DEFAULT;
        if (o.has("loss") && o.raw("loss").isObject()) {
            JsonObject l = o.requireObject("loss");
            l.requireString("type");
            loss = parseEnum(l, "type", null, Loss::fromJson);
            try {
                lossOptions = new LossOptions(
                        l.optBool("from_logits", false), l.optDouble("label_smoothing", 0), l.optDouble("delta", 1));
            } catch (IllegalArgumentException e) {
                throw new SpecException(l.path(), e.getMessage(), e);
            }
            l.finish();
        } else {
            loss = parseEnum(o, "loss", "mean_squared_error", Loss::fromJson);
        }
        OptimizerSpec opt = o.has("optimizer")
                ? readOptimizer(o.raw("optimizer"), o.path("optimizer"))
                : markDefault(o, "optimizer", new OptimizerSpec.Adam());
        List<Metric> metrics = new ArrayList<>();
        if (o.has("metrics")) {
            List<JsonNode> items = o.requireArray("metrics");
            for (int i = 0; i < items.size(); i++) {
                JsonNode m = items.get(i);
                String path = o.path("metrics") + "[" + i + "]";
                if (!m.isTextual()) {
                    throw new SpecException(path, "must be a metric name, got " + JsonObject.describe(m));
                }
                try {
                    metrics.add(Metric.fromJson(m.asText()));
                } catch (IllegalArgumentException e) {
                    throw new SpecException(path, e.getMessage(), e);
                }
            }
        } else {
            o.raw("metrics");
        }
        o.finish();
        try {
            return new CompileSpec(loss, opt, metrics, lossOptions);
        } catch (IllegalArgumentException e) {
            throw new SpecException(o.path(), e.getMessage(), e);
        }
    }

    private static <T> T markDefault(JsonObject o, String field, T value) {
        o.raw(field);
        return value;
    }

    /**
     * An optimizer: a name ({@code "adam"}) or an object with {@code type}, Keras hyper-parameters
     * and Keras's base options ({@code clipnorm}, {@code clipvalue}, {@code global_clipnorm},
     * {@code weight_decay}); {@code learning_rate} is a number or a schedule object.
     */
    public static OptimizerSpec readOptimizer(JsonNode v, String path) {
        String type;
        JsonObject o = null;
        if (v.isTextual()) {
            type = v.asText();
        } else {
            o = new JsonObject(v, path);
            type = o.requireString("type");
        }
        type = type.toLowerCase(java.util.Locale.ROOT);
        try {
            OptimizerSpec spec = switch (type) {
                case "sgd" -> new OptimizerSpec.Sgd();
                case "adam" -> new OptimizerSpec.Adam();
                case "adamw" -> new OptimizerSpec.AdamW();
                case "nadam" -> new OptimizerSpec.Nadam();
                case "adagrad" -> new OptimizerSpec.Adagrad();
                case "adamax" -> new OptimizerSpec.Adamax();
                case "rmsprop" -> new OptimizerSpec.RmsProp();
                default ->
                    throw new SpecException(
                            o == null ? path : o.path("type"),
                            "unknown optimizer '" + type + "'; known: " + OptimizerSpec.NAMES);
            };
            if (o == null) {
                return spec;
            }
            spec = readOptimizerFields(o, spec);
            o.finish();
            return spec;
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage(), e);
        }
    }

    /** The hyper-parameters of {@code defaults}' type from {@code o}, Keras defaults for the rest. */
    private static OptimizerSpec readOptimizerFields(JsonObject o, OptimizerSpec defaults) {
        LearningRateSchedule schedule = null;
        double lr = defaults.learningRate();
        if (o.has("learning_rate") && o.raw("learning_rate").isObject()) {
            schedule = readSchedule(new JsonObject(o.raw("learning_rate"), o.path("learning_rate")));
            lr = schedule.initialLearningRate();
        } else {
            lr = o.optDouble("learning_rate", lr);
        }
        OptimizerSpec.Common d = defaults.common();
        OptimizerSpec.Common common = new OptimizerSpec.Common(
                schedule,
                optOff(o, "clipnorm", d.clipnorm()),
                optOff(o, "clipvalue", d.clipvalue()),
                optOff(o, "global_clipnorm", d.globalClipnorm()),
                optOff(o, "weight_decay", d.weightDecay()));
        if (defaults instanceof OptimizerSpec.Sgd s) {
            return new OptimizerSpec.Sgd(
                    lr, o.optDouble("momentum", s.momentum()), o.optBool("nesterov", s.nesterov()), common);
        } else if (defaults instanceof OptimizerSpec.Adam a) {
            return new OptimizerSpec.Adam(
                    lr,
                    o.optDouble("beta_1", a.beta1()),
                    o.optDouble("beta_2", a.beta2()),
                    o.optDouble("epsilon", a.epsilon()),
                    o.optBool("amsgrad", a.amsgrad()),
                    common);
        } else if (defaults instanceof OptimizerSpec.AdamW a) {
            return new OptimizerSpec.AdamW(
                    lr,
                    o.optDouble("beta_1", a.beta1()),
                    o.optDouble("beta_2", a.beta2()),
                    o.optDouble("epsilon", a.epsilon()),
                    o.optBool("amsgrad", a.amsgrad()),
                    common);
        } else if (defaults instanceof OptimizerSpec.Nadam a) {
            return new OptimizerSpec.Nadam(
                    lr,
                    o.optDouble("beta_1", a.beta1()),
                    o.optDouble("beta_2", a.beta2()),
                    o.optDouble("epsilon", a.epsilon()),
                    common);
        } else if (defaults instanceof OptimizerSpec.Adagrad a) {
            return new OptimizerSpec.Adagrad(
                    lr,
                    o.optDouble("initial_accumulator_value", a.initialAccumulatorValue()),
                    o.optDouble("epsilon", a.epsilon()),
                    common);
        } else if (defaults instanceof OptimizerSpec.Adamax a) {
            return new OptimizerSpec.Adamax(
                    lr,
                    o.optDouble("beta_1", a.beta1()),
                    o.optDouble("beta_2", a.beta2()),
                    o.optDouble("epsilon", a.epsilon()),
                    common);
        } else if (defaults instanceof OptimizerSpec.RmsProp r) {
            return new OptimizerSpec.RmsProp(
                    lr,
                    o.optDouble("rho", r.rho()),
                    o.optDouble("momentum", r.momentum()),
                    o.optDouble("epsilon", r.epsilon()),
                    o.optBool("centered", r.centered()),
                    common);
        }
        throw new IllegalStateException("no reader for optimizer " + defaults.jsonName());
    }

    /** A base option where null (Keras's None) and 0 both mean off. */
    private static double optOff(JsonObject o, String field, double def) {
        return o.optDouble(field, def);
    }

    /** The closed list of schedule names. */
    public static final List<String> SCHEDULES = List.of(
            "exponential_decay", "inverse_time_decay", "piecewise_constant_decay", "polynomial_decay", "cosine_decay");

    /** A learning-rate schedule object: {@code type} and Keras's arguments. */
    static LearningRateSchedule readSchedule(JsonObject o) {
        String type = o.requireString("type");
        try {
            LearningRateSchedule s = switch (type) {
                case "exponential_decay" ->
                    new LearningRateSchedule.ExponentialDecay(
                            o.requireDouble("initial_learning_rate"),
                            o.requireDouble("decay_steps"),
                            o.requireDouble("decay_rate"),
                            o.optBool("staircase", false));
                case "inverse_time_decay" ->
                    new LearningRateSchedule.InverseTimeDecay(
                            o.requireDouble("initial_learning_rate"),
                            o.requireDouble("decay_steps"),
                            o.requireDouble("decay_rate"),
                            o.optBool("staircase", false));
                case "piecewise_constant_decay" ->
                    new LearningRateSchedule.PiecewiseConstantDecay(doubles(o, "boundaries"), doubles(o, "values"));
                case "polynomial_decay" ->
                    new LearningRateSchedule.PolynomialDecay(
                            o.requireDouble("initial_learning_rate"),
                            o.requireDouble("decay_steps"),
                            o.optDouble("end_learning_rate", 0.0001),
                            o.optDouble("power", 1.0),
                            o.optBool("cycle", false));
                case "cosine_decay" ->
                    new LearningRateSchedule.CosineDecay(
                            o.requireDouble("initial_learning_rate"),
                            o.requireDouble("decay_steps"),
                            o.optDouble("alpha", 0.0),
                            o.has("warmup_target") ? o.requireDouble("warmup_target") : markNull(o, "warmup_target"),
                            o.optDouble("warmup_steps", 0));
                default ->
                    throw new SpecException(
                            o.path("type"), "unknown learning-rate schedule '" + type + "'; known: " + SCHEDULES);
            };
            o.finish();
            return s;
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(o.path(), e.getMessage(), e);
        }
    }

    private static Double markNull(JsonObject o, String field) {
        o.raw(field);
        return null;
    }

    private static List<Double> doubles(JsonObject o, String field) {
        List<Double> out = new ArrayList<>();
        List<JsonNode> items = o.requireArray(field);
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isNumber()) {
                throw new SpecException(
                        o.path(field) + "[" + i + "]", "must be a number, got " + JsonObject.describe(items.get(i)));
            }
            out.add(items.get(i).asDouble());
        }
        return out;
    }

    /** A {@code fit} block on its own (Keras's defaults for what it leaves out). */
    public static FitOptions readFitOptions(JsonNode node, String path) {
        return readFit(new JsonObject(node, path));
    }

    static FitOptions readFit(JsonObject o) {
        FitOptions d = FitOptions.defaults();
        try {
            Map<Integer, Double> classWeight = new java.util.TreeMap<>();
            if (o.has("class_weight")) {
                JsonObject cw = o.requireObject("class_weight");
                var names = o.raw("class_weight").fieldNames();
                while (names.hasNext()) {
                    String key = names.next();
                    int cls;
                    try {
                        cls = Integer.parseInt(key);
                    } catch (NumberFormatException e) {
                        throw new SpecException(
                                cw.path(key), "class_weight keys are class ids (\"0\", \"1\", ...), got '" + key + "'");
                    }
                    classWeight.put(cls, cw.requireDouble(key));
                }
            } else {
                o.raw("class_weight");
            }
            FitOptions.Tbptt tbptt = o.has("tbptt") ? readTbptt(o.requireObject("tbptt")) : null;
            FitOptions f = new FitOptions(
                    o.optInt("epochs", d.epochs()),
                    o.optInt("batch_size", d.batchSize()),
                    o.optDouble("validation_split", d.validationSplit()),
                    o.optBool("shuffle", d.shuffle()),
                    o.optLong("seed", d.seed()),
                    classWeight,
                    tbptt);
            o.finish();
            return f;
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(o.path(), e.getMessage(), e);
        }
    }

    /** {@code "tbptt": {"forward": F, "backward": B}}; backward defaults to forward. */
    private static FitOptions.Tbptt readTbptt(JsonObject o) {
        try {
            int forward = o.requireInt("forward");
            FitOptions.Tbptt t = new FitOptions.Tbptt(forward, o.optInt("backward", forward));
            o.finish();
            return t;
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(o.path(), e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- writing

    public static String write(ModelSpec spec) {
        try {
            return MAPPER.writeValueAsString(toJson(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise spec " + spec.name(), e);
        }
    }

    public static ObjectNode toJson(ModelSpec spec) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("name", spec.name());
        ObjectNode input = root.putObject("input");
        ArrayNode shape = input.putArray("shape");
        spec.inputShape().forEach(d -> {
            if (d < 0) {
                shape.addNull();
            } else {
                shape.add(d);
            }
        });
        input.put("dtype", spec.inputDType().jsonName());
        ArrayNode layers = root.putArray("layers");
        for (LayerSpec l : spec.layers()) {
            layers.add(layerJson(l));
        }
        root.set("compile", compileJson(spec.compile()));
        ObjectNode fit = root.putObject("fit");
        fit.put("epochs", spec.fit().epochs());
        fit.put("batch_size", spec.fit().batchSize());
        fit.put("validation_split", spec.fit().validationSplit());
        fit.put("shuffle", spec.fit().shuffle());
        fit.put("seed", spec.fit().seed());
        if (!spec.fit().classWeight().isEmpty()) {
            ObjectNode cw = fit.putObject("class_weight");
            spec.fit().classWeight().forEach((k, v) -> cw.put(Integer.toString(k), v));
        }
        if (!spec.trainingIssues().isEmpty()) {
            ArrayNode issues = root.putArray("training_issues");
            spec.trainingIssues().forEach(issues::add);
        }
        if (spec.fit().tbptt() != null) {
            ObjectNode t = fit.putObject("tbptt");
            t.put("forward", spec.fit().tbptt().forward());
            t.put("backward", spec.fit().tbptt().backward());
        }
        return root;
    }

    public static ObjectNode compileJson(CompileSpec c) {
        ObjectNode o = MAPPER.createObjectNode();
        if (c.lossOptions().isDefault()) {
            o.put("loss", c.loss().jsonName());
        } else {
            ObjectNode l = o.putObject("loss");
            l.put("type", c.loss().jsonName());
            l.put("from_logits", c.lossOptions().fromLogits());
            l.put("label_smoothing", c.lossOptions().labelSmoothing());
            l.put("delta", c.lossOptions().delta());
        }
        o.set("optimizer", optimizerJson(c.optimizer()));
        ArrayNode m = o.putArray("metrics");
        c.metrics().forEach(x -> m.add(x.jsonName()));
        return o;
    }

    public static ObjectNode optimizerJson(OptimizerSpec spec) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", spec.jsonName());
        OptimizerSpec.Common c = spec.common();
        if (c.schedule() != null) {
            o.set("learning_rate", scheduleJson(c.schedule()));
        } else {
            o.put("learning_rate", spec.learningRate());
        }
        if (spec instanceof OptimizerSpec.Sgd s) {
            o.put("momentum", s.momentum());
            o.put("nesterov", s.nesterov());
        } else if (spec instanceof OptimizerSpec.Adam a) {
            o.put("beta_1", a.beta1());
            o.put("beta_2", a.beta2());
            o.put("epsilon", a.epsilon());
            o.put("amsgrad", a.amsgrad());
        } else if (spec instanceof OptimizerSpec.AdamW a) {
            o.put("beta_1", a.beta1());
            o.put("beta_2", a.beta2());
            o.put("epsilon", a.epsilon());
            o.put("amsgrad", a.amsgrad());
        } else if (spec instanceof OptimizerSpec.Nadam a) {
            o.put("beta_1", a.beta1());
            o.put("beta_2", a.beta2());
            o.put("epsilon", a.epsilon());
        } else if (spec instanceof OptimizerSpec.Adagrad a) {
            o.put("initial_accumulator_value", a.initialAccumulatorValue());
            o.put("epsilon", a.epsilon());
        } else if (spec instanceof OptimizerSpec.Adamax a) {
            o.put("beta_1", a.beta1());
            o.put("beta_2", a.beta2());
            o.put("epsilon", a.epsilon());
        } else if (spec instanceof OptimizerSpec.RmsProp r) {
            o.put("rho", r.rho());
            o.put("momentum", r.momentum());
            o.put("epsilon", r.epsilon());
            o.put("centered", r.centered());
        }
        // Base options appear when set (absent = off, Keras's None); AdamW always states its decay.
        if (c.clipnorm() > 0) {
            o.put("clipnorm", c.clipnorm());
        }
        if (c.clipvalue() > 0) {
            o.put("clipvalue", c.clipvalue());
        }
        if (c.globalClipnorm() > 0) {
            o.put("global_clipnorm", c.globalClipnorm());
        }
        if (c.weightDecay() > 0 || spec instanceof OptimizerSpec.AdamW) {
            o.put("weight_decay", c.weightDecay());
        }
        return o;
    }

    public static ObjectNode scheduleJson(LearningRateSchedule s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", s.jsonName());
        if (s instanceof LearningRateSchedule.ExponentialDecay e) {
            o.put("initial_learning_rate", e.initialLearningRate());
            o.put("decay_steps", e.decaySteps());
            o.put("decay_rate", e.decayRate());
            o.put("staircase", e.staircase());
        } else if (s instanceof LearningRateSchedule.InverseTimeDecay e) {
            o.put("initial_learning_rate", e.initialLearningRate());
            o.put("decay_steps", e.decaySteps());
            o.put("decay_rate", e.decayRate());
            o.put("staircase", e.staircase());
        } else if (s instanceof LearningRateSchedule.PiecewiseConstantDecay p) {
            ArrayNode b = o.putArray("boundaries");
            p.boundaries().forEach(b::add);
            ArrayNode v = o.putArray("values");
            p.values().forEach(v::add);
        } else if (s instanceof LearningRateSchedule.PolynomialDecay p) {
            o.put("initial_learning_rate", p.initialLearningRate());
            o.put("decay_steps", p.decaySteps());
            o.put("end_learning_rate", p.endLearningRate());
            o.put("power", p.power());
            o.put("cycle", p.cycle());
        } else if (s instanceof LearningRateSchedule.CosineDecay c) {
            o.put("initial_learning_rate", c.initialLearningRate());
            o.put("decay_steps", c.decaySteps());
            o.put("alpha", c.alpha());
            if (c.warmupTarget() == null) {
                o.putNull("warmup_target");
            } else {
                o.put("warmup_target", c.warmupTarget());
            }
            o.put("warmup_steps", c.warmupSteps());
        }
        return o;
    }

    static ObjectNode layerJson(LayerSpec layer) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", layer.typeName());
        if (layer.name() != null) {
            o.put("name", layer.name());
        }
        layer.accept(new LayerVisitor<Void>() {
            private Void recurrent(RecurrentSpec r) {
                o.put("units", r.units());
                RecurrentOptions opt = r.options();
                o.put("activation", opt.activation().jsonName());
                o.put("recurrent_activation", opt.recurrentActivation().jsonName());
                o.put("use_bias", opt.useBias());
                o.put("return_sequences", opt.returnSequences());
                o.put("go_backwards", opt.goBackwards());
                o.put("dropout", opt.dropout());
                o.put("recurrent_dropout", opt.recurrentDropout());
                o.set("kernel_initializer", initializerJson(opt.kernelInitializer()));
                o.set("recurrent_initializer", initializerJson(opt.recurrentInitializer()));
                o.set("bias_initializer", initializerJson(opt.biasInitializer()));
                o.put("unroll", opt.unroll());
                rulesJson(o, opt.rules(), "kernel");
                return null;
            }

            @Override
            public Void visit(SimpleRnnSpec l) {
                return recurrent(l);
            }

            @Override
            public Void visit(LstmSpec l) {
                recurrent(l);
                o.put("unit_forget_bias", l.unitForgetBias());
                return null;
            }

            @Override
            public Void visit(GruSpec l) {
                recurrent(l);
                o.put("reset_after", l.resetAfter());
                return null;
            }

            @Override
            public Void visit(EmbeddingSpec l) {
                o.put("input_dim", l.inputDim());
                o.put("output_dim", l.outputDim());
                o.put("mask_zero", l.maskZero());
                o.set("embeddings_initializer", initializerJson(l.embeddingsInitializer()));
                rulesJson(o, l.rules(), "embeddings");
                return null;
            }

            @Override
            public Void visit(DenseSpec l) {
                o.put("units", l.units());
                o.put("activation", l.activation().jsonName());
                o.put("use_bias", l.useBias());
                o.set("kernel_initializer", initializerJson(l.kernelInitializer()));
                o.set("bias_initializer", initializerJson(l.biasInitializer()));
                rulesJson(o, l.rules(), "kernel");
                return null;
            }

            @Override
            public Void visit(DropoutSpec l) {
                o.put("rate", l.rate());
                return null;
            }

            @Override
            public Void visit(BatchNormalizationSpec l) {
                o.put("momentum", l.momentum());
                o.put("epsilon", l.epsilon());
                o.put("center", l.center());
                o.put("scale", l.scale());
                return null;
            }

            @Override
            public Void visit(BidirectionalSpec l) {
                o.set("layer", layerJson(l.layer()));
                o.put("merge_mode", l.mergeMode().jsonName());
                return null;
            }

            @Override
            public Void visit(TimeDistributedSpec l) {
                o.set("layer", layerJson(l.layer()));
                return null;
            }

            @Override
            public Void visit(MaskingSpec l) {
                o.put("mask_value", l.maskValue());
                return null;
            }

            @Override
            public Void visit(Conv1DSpec l) {
                o.put("filters", l.filters());
                o.put("kernel_size", l.kernelSize());
                o.put("strides", l.strides());
                o.put("padding", l.padding().jsonName());
                o.put("dilation_rate", l.dilationRate());
                o.put("activation", l.activation().jsonName());
                o.put("use_bias", l.useBias());
                o.set("kernel_initializer", initializerJson(l.kernelInitializer()));
                o.set("bias_initializer", initializerJson(l.biasInitializer()));
                rulesJson(o, l.rules(), "kernel");
                return null;
            }

            @Override
            public Void visit(Pooling1DSpec l) {
                o.put("pool_size", l.poolSize());
                o.put("strides", l.strides());
                o.put("padding", l.padding().jsonName());
                return null;
            }

            @Override
            public Void visit(GlobalPooling1DSpec l) {
                o.put("keepdims", l.keepdims());
                return null;
            }

            @Override
            public Void visit(LayerNormalizationSpec l) {
                o.put("epsilon", l.epsilon());
                o.put("center", l.center());
                o.put("scale", l.scale());
                return null;
            }

            @Override
            public Void visit(FlattenSpec l) {
                return null;
            }

            @Override
            public Void visit(RepeatVectorSpec l) {
                o.put("n", l.n());
                return null;
            }

            @Override
            public Void visit(ActivationSpec l) {
                o.put("activation", l.activation().jsonName());
                return null;
            }
        });
        return o;
    }

    /** Writes the set regularizers and constraints (absent fields mean none). */
    static void rulesJson(ObjectNode o, WeightRules r, String kernel) {
        putRegularizer(o, kernel + "_regularizer", r.kernelRegularizer());
        putRegularizer(o, "recurrent_regularizer", r.recurrentRegularizer());
        putRegularizer(o, "bias_regularizer", r.biasRegularizer());
        putRegularizer(o, "activity_regularizer", r.activityRegularizer());
        putConstraint(o, kernel + "_constraint", r.kernelConstraint());
        putConstraint(o, "recurrent_constraint", r.recurrentConstraint());
        putConstraint(o, "bias_constraint", r.biasConstraint());
    }

    private static void putRegularizer(ObjectNode o, String field, Regularizer r) {
        if (r != null) {
            o.putObject(field).put("l1", r.l1()).put("l2", r.l2());
        }
    }

    private static void putConstraint(ObjectNode o, String field, Constraint c) {
        if (c == null) {
            return;
        }
        ObjectNode n = o.putObject(field);
        n.put("type", c.jsonName());
        if (c instanceof Constraint.MaxNorm m) {
            n.put("max_value", m.maxValue());
            m.axes().forEach(n.putArray("axis")::add);
        } else if (c instanceof Constraint.UnitNorm u) {
            u.axes().forEach(n.putArray("axis")::add);
        } else if (c instanceof Constraint.MinMaxNorm m) {
            n.put("min_value", m.minValue()).put("max_value", m.maxValue()).put("rate", m.rate());
            m.axes().forEach(n.putArray("axis")::add);
        }
    }

    static JsonNode initializerJson(Initializer init) {
        for (var e : NAMED.entrySet()) {
            if (e.getValue().equals(init)) {
                return MAPPER.getNodeFactory().textNode(e.getKey());
            }
        }
        ObjectNode o = MAPPER.createObjectNode();
        if (init instanceof Initializer.Constant c) {
            o.put("type", "constant").put("value", c.value());
        } else if (init instanceof Initializer.RandomUniform u) {
            o.put("type", "random_uniform").put("minval", u.minval()).put("maxval", u.maxval());
        } else if (init instanceof Initializer.RandomNormal n) {
            o.put("type", "random_normal").put("mean", n.mean()).put("stddev", n.stddev());
        } else if (init instanceof Initializer.TruncatedNormal n) {
            o.put("type", "truncated_normal").put("mean", n.mean()).put("stddev", n.stddev());
        } else if (init instanceof Initializer.Orthogonal g) {
            o.put("type", "orthogonal").put("gain", g.gain());
        } else if (init instanceof Initializer.VarianceScaling v) {
            o.put("type", "variance_scaling")
                    .put("scale", v.scale())
                    .put("mode", v.mode().name().toLowerCase(java.util.Locale.ROOT))
                    .put("distribution", v.distribution().name().toLowerCase(java.util.Locale.ROOT));
        } else {
            throw new IllegalStateException("no JSON form for initializer " + init);
        }
        return o;
    }
}
