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
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.input.BoundedInput;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.BatchNormalizationSpec;
import org.rnn4j.api.layers.BidirectionalSpec;
import org.rnn4j.api.layers.DenseSpec;
import org.rnn4j.api.layers.DropoutSpec;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.layers.GruSpec;
import org.rnn4j.api.layers.Initializer;
import org.rnn4j.api.layers.LayerSpec;
import org.rnn4j.api.layers.LayerVisitor;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.layers.RecurrentOptions;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.layers.SimpleRnnSpec;
import org.rnn4j.api.layers.TimeDistributedSpec;
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
            "TimeDistributed");

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
        root.finish();
        try {
            return new ModelSpec(name, shape, dtype, layers, compile, fit);
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException("$", e.getMessage(), e);
        }
    }

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
                            initializer(o, "embeddings_initializer", new Initializer.RandomUniform(-0.05, 0.05)));
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
                    if (!(inner instanceof DenseSpec d)) {
                        throw new SpecException(
                                o.path("layer"), "TimeDistributed wraps a Dense layer, got " + inner.typeName());
                    }
                    yield new TimeDistributedSpec(n, d);
                }
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
                initializer(o, "bias_initializer", Initializer.zeros()));
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
                initializer(o, "bias_initializer", Initializer.zeros()));
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
                            + " or an object with type constant, random_uniform, random_normal, orthogonal, variance_scaling");
        }
        return init;
    }

    static CompileSpec readCompile(JsonObject o) {
        Loss loss = parseEnum(o, "loss", "mean_squared_error", Loss::fromJson);
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
        return new CompileSpec(loss, opt, metrics);
    }

    private static <T> T markDefault(JsonObject o, String field, T value) {
        o.raw(field);
        return value;
    }

    /** An optimizer: a name ({@code "adam"}) or an object with {@code type} and Keras hyper-parameters. */
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
                case "sgd" ->
                    o == null
                            ? new OptimizerSpec.Sgd()
                            : new OptimizerSpec.Sgd(
                                    o.optDouble("learning_rate", 0.01),
                                    o.optDouble("momentum", 0),
                                    o.optBool("nesterov", false));
                case "adam" ->
                    o == null
                            ? new OptimizerSpec.Adam()
                            : new OptimizerSpec.Adam(
                                    o.optDouble("learning_rate", 0.001),
                                    o.optDouble("beta_1", 0.9),
                                    o.optDouble("beta_2", 0.999),
                                    o.optDouble("epsilon", 1e-7));
                case "rmsprop" ->
                    o == null
                            ? new OptimizerSpec.RmsProp()
                            : new OptimizerSpec.RmsProp(
                                    o.optDouble("learning_rate", 0.001),
                                    o.optDouble("rho", 0.9),
                                    o.optDouble("momentum", 0),
                                    o.optDouble("epsilon", 1e-7));
                default -> throw new SpecException(path, "unknown optimizer '" + type + "'; known: sgd, adam, rmsprop");
            };
            if (o != null) {
                o.finish();
            }
            return spec;
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage(), e);
        }
    }

    static FitOptions readFit(JsonObject o) {
        FitOptions d = FitOptions.defaults();
        try {
            FitOptions f = new FitOptions(
                    o.optInt("epochs", d.epochs()),
                    o.optInt("batch_size", d.batchSize()),
                    o.optDouble("validation_split", d.validationSplit()),
                    o.optBool("shuffle", d.shuffle()),
                    o.optLong("seed", d.seed()));
            o.finish();
            return f;
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
        return root;
    }

    public static ObjectNode compileJson(CompileSpec c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("loss", c.loss().jsonName());
        o.set("optimizer", optimizerJson(c.optimizer()));
        ArrayNode m = o.putArray("metrics");
        c.metrics().forEach(x -> m.add(x.jsonName()));
        return o;
    }

    public static ObjectNode optimizerJson(OptimizerSpec spec) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", spec.jsonName());
        o.put("learning_rate", spec.learningRate());
        if (spec instanceof OptimizerSpec.Sgd s) {
            o.put("momentum", s.momentum());
            o.put("nesterov", s.nesterov());
        } else if (spec instanceof OptimizerSpec.Adam a) {
            o.put("beta_1", a.beta1());
            o.put("beta_2", a.beta2());
            o.put("epsilon", a.epsilon());
        } else if (spec instanceof OptimizerSpec.RmsProp r) {
            o.put("rho", r.rho());
            o.put("momentum", r.momentum());
            o.put("epsilon", r.epsilon());
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
                return null;
            }

            @Override
            public Void visit(DenseSpec l) {
                o.put("units", l.units());
                o.put("activation", l.activation().jsonName());
                o.put("use_bias", l.useBias());
                o.set("kernel_initializer", initializerJson(l.kernelInitializer()));
                o.set("bias_initializer", initializerJson(l.biasInitializer()));
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
        });
        return o;
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
