package org.rnn4j.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.layers.Activation;
import org.rnn4j.api.layers.BatchNormalizationSpec;
import org.rnn4j.api.layers.BidirectionalSpec;
import org.rnn4j.api.layers.DenseSpec;
import org.rnn4j.api.layers.DropoutSpec;
import org.rnn4j.api.layers.EmbeddingSpec;
import org.rnn4j.api.layers.GruSpec;
import org.rnn4j.api.layers.Initializer;
import org.rnn4j.api.layers.LayerSpec;
import org.rnn4j.api.layers.LstmSpec;
import org.rnn4j.api.layers.MergeMode;
import org.rnn4j.api.layers.RecurrentOptions;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.layers.SimpleRnnSpec;
import org.rnn4j.api.layers.TimeDistributedSpec;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.DType;

/**
 * Imports Keras architecture JSON: Keras 2 {@code model.to_json()}, Keras 3 {@code config.json}
 * (from a {@code .keras} zip) and the {@code modelTopology} of a TensorFlow.js {@code model.json}.
 * Only the closed list of layer class names is accepted; nothing in a file names a Java class.
 * {@code hard_sigmoid} means Keras 2's {@code clip(0.2x + 0.5, 0, 1)} in Keras 2 and TensorFlow.js
 * files and Keras 3's {@code clip(x/6 + 0.5, 0, 1)} in Keras 3 files: the dialect is detected,
 * never guessed per layer. Options rnn4j cannot honour (stateful, return_state, regularizers,
 * constraints) are errors, not silently dropped.
 */
public final class KerasJson {

    /** Which Keras wrote the file; decides what {@code hard_sigmoid} means. */
    public enum Dialect {
        KERAS2,
        KERAS3,
        TFJS
    }

    private KerasJson() {}

    /** True when the JSON looks like a Keras / TensorFlow.js file rather than an rnn4j spec. */
    public static boolean isKeras(JsonNode root) {
        return root.has("modelTopology") || root.has("class_name") || root.has("model_config");
    }

    public static ModelSpec read(String json, String source) {
        return read(SpecJson.parse(json, source));
    }

    /** Reads a Keras / TF.js document (a whole {@code model.json} or a bare topology). */
    public static ModelSpec read(JsonNode root) {
        Dialect dialect = dialectOf(root);
        String path = "$";
        JsonNode topology = root;
        if (root.has("modelTopology")) {
            topology = root.get("modelTopology");
            path = "$.modelTopology";
        }
        if (topology.has("model_config")) {
            topology = topology.get("model_config");
            path += ".model_config";
        }
        JsonObject model = new JsonObject(topology, path);
        String className = model.requireString("class_name");
        if (!"Sequential".equals(className)) {
            throw new SpecException(
                    model.path("class_name"),
                    "only Sequential models are supported, got '" + className
                            + "'; rebuild the model with keras.Sequential");
        }
        JsonObject config = model.requireObject("config");
        String name = sanitizeName(config.optString("name", "sequential"));
        List<JsonNode> layerNodes;
        JsonNode layersNode = config.raw("layers");
        if (layersNode != null && layersNode.isArray()) {
            layerNodes = new ArrayList<>();
            layersNode.forEach(layerNodes::add);
        } else {
            throw new SpecException(config.path("layers"), "is required (an array of layers)");
        }
        List<LayerSpec> layers = new ArrayList<>();
        List<Integer> inputShape = null;
        DType dtype = DType.FLOAT32;
        String layersPath = config.path("layers");
        for (int i = 0; i < layerNodes.size(); i++) {
            String lp = layersPath + "[" + i + "]";
            JsonObject layer = new JsonObject(layerNodes.get(i), lp);
            String cls = layer.requireString("class_name");
            JsonObject cfg = layer.requireObject("config");
            List<Integer> declared = declaredInputShape(cfg);
            if ("InputLayer".equals(cls)) {
                if (declared == null) {
                    throw new SpecException(lp, "InputLayer has no batch_input_shape / batch_shape");
                }
                inputShape = declared;
                dtype = dtypeOf(cfg);
                continue;
            }
            if (layers.isEmpty() && inputShape == null) {
                inputShape = declared;
            }
            layers.add(readLayer(cls, cfg, dialect));
        }
        if (inputShape == null && model.has("build_input_shape")) {
            inputShape = dropBatch(model.requireShape("build_input_shape"), model.path("build_input_shape"));
        }
        if (inputShape == null
                && root.has("build_config")
                && root.get("build_config").has("input_shape")) {
            JsonObject build = new JsonObject(root.get("build_config"), "$.build_config");
            inputShape = dropBatch(build.requireShape("input_shape"), build.path("input_shape"));
        }
        if (inputShape == null) {
            throw new SpecException(
                    path,
                    "the model declares no input shape (no InputLayer, batch_input_shape or build_config);"
                            + " build the Keras model with an Input before saving it");
        }
        if (!layers.isEmpty() && layers.get(0) instanceof EmbeddingSpec) {
            dtype = DType.INT32;
        }
        CompileSpec compile = null;
        if (root.has("training_config") && root.get("training_config").isObject()) {
            compile = trainingConfig(new JsonObject(root.get("training_config"), "$.training_config"));
        } else if (root.has("compile_config") && root.get("compile_config").isObject()) {
            compile = trainingConfig(new JsonObject(root.get("compile_config"), "$.compile_config"));
        }
        try {
            return new ModelSpec(name, inputShape, dtype, layers, compile, null);
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage(), e);
        }
    }

    static Dialect dialectOf(JsonNode root) {
        String version = "";
        JsonNode topo = root.has("modelTopology") ? root.get("modelTopology") : root;
        if (topo.has("keras_version")) {
            version = topo.get("keras_version").asText("");
        } else if (root.has("keras_version")) {
            version = root.get("keras_version").asText("");
        }
        if (version.startsWith("tfjs")
                || (root.has("format")
                        && "layers-model".equals(root.get("format").asText()))) {
            return Dialect.TFJS;
        }
        if (version.startsWith("3") || root.has("module") || topo.has("module")) {
            return Dialect.KERAS3;
        }
        return Dialect.KERAS2;
    }

    private static String sanitizeName(String n) {
        return n != null && LayerSpec.NAME.matcher(n).matches() ? n : "sequential";
    }

    private static List<Integer> declaredInputShape(JsonObject cfg) {
        for (String key : List.of("batch_input_shape", "batch_shape", "batchInputShape")) {
            if (cfg.has(key)) {
                return dropBatch(cfg.requireShape(key), cfg.path(key));
            }
        }
        if (cfg.has("input_shape")) {
            return cfg.requireShape("input_shape");
        }
        if (cfg.has("input_dim") && cfg.has("input_length") && !cfg.has("output_dim")) {
            return List.of(cfg.requireInt("input_length"), cfg.requireInt("input_dim"));
        }
        if (cfg.has("input_length") && cfg.has("output_dim")) {
            return List.of(cfg.requireInt("input_length"));
        }
        return null;
    }

    private static List<Integer> dropBatch(List<Integer> shape, String path) {
        if (shape.isEmpty()) {
            throw new SpecException(path, "must include the batch dimension, e.g. [null, 50, 1]");
        }
        return shape.subList(1, shape.size());
    }

    private static DType dtypeOf(JsonObject cfg) {
        if (!cfg.has("dtype")) {
            return DType.FLOAT32;
        }
        JsonNode d = cfg.raw("dtype");
        String text = d.isTextual() ? d.asText() : d.path("config").path("name").asText("float32");
        return text.startsWith("int") ? DType.INT32 : DType.FLOAT32;
    }

    private static LayerSpec readLayer(String cls, JsonObject cfg, Dialect dialect) {
        try {
            rejectUnsupported(cfg);
            String name = cfg.has("name") ? sanitizeLayerName(cfg.requireString("name"), cfg.path("name")) : null;
            return switch (cls) {
                case "SimpleRNN" -> new SimpleRnnSpec(name, cfg.requireInt("units"), recurrent(cfg, dialect));
                case "LSTM" ->
                    new LstmSpec(
                            name,
                            cfg.requireInt("units"),
                            recurrent(cfg, dialect),
                            optBool(cfg, "unit_forget_bias", true));
                case "GRU" ->
                    new GruSpec(
                            name,
                            cfg.requireInt("units"),
                            recurrent(cfg, dialect),
                            optBool(cfg, "reset_after", dialect != Dialect.TFJS));
                case "Embedding" ->
                    new EmbeddingSpec(
                            name,
                            cfg.requireInt("input_dim"),
                            cfg.requireInt("output_dim"),
                            optBool(cfg, "mask_zero", false),
                            initializer(cfg, "embeddings_initializer", new Initializer.RandomUniform(-0.05, 0.05)));
                case "Dense" -> dense(name, cfg, dialect);
                case "Dropout" -> new DropoutSpec(name, cfg.requireDouble("rate"));
                case "BatchNormalization" -> batchNorm(name, cfg);
                case "Bidirectional" -> {
                    JsonObject inner = cfg.requireObject("layer");
                    LayerSpec wrapped =
                            readLayer(inner.requireString("class_name"), inner.requireObject("config"), dialect);
                    if (!(wrapped instanceof RecurrentSpec r)) {
                        throw new SpecException(
                                inner.path(),
                                "Bidirectional wraps a SimpleRNN, LSTM or GRU, got " + wrapped.typeName());
                    }
                    if (cfg.has("backward_layer")) {
                        requireMirror(inner, cfg.requireObject("backward_layer"));
                    }
                    String mode = cfg.has("merge_mode") ? cfg.requireString("merge_mode") : "concat";
                    yield new BidirectionalSpec(name, r, MergeMode.fromJson(mode));
                }
                case "TimeDistributed" -> {
                    JsonObject inner = cfg.requireObject("layer");
                    LayerSpec wrapped =
                            readLayer(inner.requireString("class_name"), inner.requireObject("config"), dialect);
                    if (!(wrapped instanceof DenseSpec d)) {
                        throw new SpecException(
                                inner.path(), "TimeDistributed wraps a Dense layer, got " + wrapped.typeName());
                    }
                    yield new TimeDistributedSpec(name, d);
                }
                default ->
                    throw new SpecException(
                            cfg.path(),
                            "unsupported Keras layer '" + cls + "'; rnn4j reads " + SpecJson.LAYER_TYPES
                                    + " (plus InputLayer)");
            };
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(cfg.path(), e.getMessage(), e);
        }
    }

    /**
     * rnn4j runs a Bidirectional's backward direction as the forward layer mirrored (Keras's
     * default, which Keras 3 also writes out as {@code backward_layer}). A backward layer that is
     * anything else (another class, activation, size, ...) is refused rather than ignored.
     */
    private static void requireMirror(JsonObject forward, JsonObject backward) {
        String fc = forward.requireString("class_name");
        String bc = backward.requireString("class_name");
        if (!fc.equals(bc)) {
            throw new SpecException(
                    backward.path("class_name"),
                    "Bidirectional's backward_layer is a " + bc + " but its layer is a " + fc
                            + "; rnn4j runs the layer mirrored in both directions, so it cannot honour a different"
                            + " backward_layer");
        }
        JsonNode f = forward.raw("config");
        JsonObject bo = backward.requireObject("config");
        JsonNode b = backward.raw("config");
        // The mirror differs in its name and its direction only.
        boolean fBack = f.path("go_backwards").asBoolean(false);
        boolean bBack = b.path("go_backwards").asBoolean(false);
        if (fBack == bBack) {
            throw new SpecException(
                    bo.path("go_backwards"),
                    "is " + bBack + " in Bidirectional's backward_layer and in its layer; the backward layer must run"
                            + " the other way");
        }
        java.util.Set<String> keys = new java.util.TreeSet<>();
        f.fieldNames().forEachRemaining(keys::add);
        b.fieldNames().forEachRemaining(keys::add);
        keys.removeAll(List.of("name", "go_backwards"));
        for (String k : keys) {
            JsonNode fv = f.get(k) == null || f.get(k).isNull() ? null : f.get(k);
            JsonNode bv = b.get(k) == null || b.get(k).isNull() ? null : b.get(k);
            if (!java.util.Objects.equals(fv, bv)) {
                throw new SpecException(
                        bo.path(k),
                        "Bidirectional's backward_layer has " + k + " " + JsonObject.describe(bv)
                                + " but its layer has "
                                + JsonObject.describe(fv)
                                + "; rnn4j runs the layer mirrored in both directions, so it cannot honour a different"
                                + " backward_layer");
            }
        }
    }

    private static String sanitizeLayerName(String name, String path) {
        if (!LayerSpec.NAME.matcher(name).matches()) {
            throw new SpecException(
                    path,
                    "layer name '" + name + "' cannot be used in weight names; use letters, digits, '_', '.', '-'");
        }
        return name;
    }

    private static void rejectUnsupported(JsonObject cfg) {
        for (String key : List.of("stateful", "return_state", "unroll_state")) {
            if (cfg.has(key) && cfg.raw(key).asBoolean(false)) {
                throw new SpecException(
                        cfg.path(key), "is true, which rnn4j does not support; save the model with " + key + "=False");
            }
        }
        for (String key : List.of(
                "kernel_regularizer",
                "recurrent_regularizer",
                "bias_regularizer",
                "activity_regularizer",
                "embeddings_regularizer",
                "kernel_constraint",
                "recurrent_constraint",
                "bias_constraint",
                "embeddings_constraint")) {
            if (cfg.has(key)) {
                throw new SpecException(
                        cfg.path(key),
                        "is set, but rnn4j does not implement regularizers or constraints;"
                                + " remove it from the model (it does not change inference)");
            }
        }
        if (cfg.has("time_major") && cfg.raw("time_major").asBoolean(false)) {
            throw new SpecException(cfg.path("time_major"), "is true; rnn4j is batch-major");
        }
    }

    private static boolean optBool(JsonObject cfg, String key, boolean def) {
        // TensorFlow.js writes null for options it leaves at their default.
        return cfg.has(key) ? cfg.optBool(key, def) : def;
    }

    private static RecurrentOptions recurrent(JsonObject cfg, Dialect dialect) {
        return new RecurrentOptions(
                activation(cfg, "activation", "tanh", dialect),
                activation(cfg, "recurrent_activation", dialect == Dialect.TFJS ? "hard_sigmoid" : "sigmoid", dialect),
                optBool(cfg, "use_bias", true),
                optBool(cfg, "return_sequences", false),
                optBool(cfg, "go_backwards", false),
                cfg.has("dropout") ? cfg.requireDouble("dropout") : 0,
                cfg.has("recurrent_dropout") ? cfg.requireDouble("recurrent_dropout") : 0,
                initializer(cfg, "kernel_initializer", Initializer.glorotUniform()),
                initializer(cfg, "recurrent_initializer", Initializer.orthogonal()),
                initializer(cfg, "bias_initializer", Initializer.zeros()));
    }

    private static DenseSpec dense(String name, JsonObject cfg, Dialect dialect) {
        return new DenseSpec(
                name,
                cfg.requireInt("units"),
                activation(cfg, "activation", "linear", dialect),
                optBool(cfg, "use_bias", true),
                initializer(cfg, "kernel_initializer", Initializer.glorotUniform()),
                initializer(cfg, "bias_initializer", Initializer.zeros()));
    }

    private static BatchNormalizationSpec batchNorm(String name, JsonObject cfg) {
        if (cfg.has("axis")) {
            JsonNode axis = cfg.raw("axis");
            int a = axis.isArray() && axis.size() == 1 ? axis.get(0).asInt() : axis.asInt(-1);
            if (a != -1 && a != 2) {
                throw new SpecException(cfg.path("axis"), "rnn4j normalizes the last axis only, got axis " + axis);
            }
        }
        return new BatchNormalizationSpec(
                name,
                cfg.has("momentum") ? cfg.requireDouble("momentum") : 0.99,
                cfg.has("epsilon") ? cfg.requireDouble("epsilon") : 1e-3,
                optBool(cfg, "center", true),
                optBool(cfg, "scale", true));
    }

    /** Maps Keras / TF.js activation names, giving {@code hard_sigmoid} the dialect's meaning. */
    static Activation activation(JsonObject cfg, String key, String def, Dialect dialect) {
        String raw = def;
        if (cfg.has(key)) {
            JsonNode v = cfg.raw(key);
            // Keras 3 may serialise an activation as {"module": ..., "class_name": "function", "config": "tanh"}.
            raw = v.isTextual()
                    ? v.asText()
                    : v.path("config").asText(v.path("class_name").asText(def));
        }
        String name = raw.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        if ("hard_sigmoid".equals(name)) {
            return dialect == Dialect.KERAS3 ? Activation.HARD_SIGMOID : Activation.HARD_SIGMOID_KERAS2;
        }
        try {
            return Activation.fromJson(name);
        } catch (IllegalArgumentException e) {
            throw new SpecException(cfg.path(key), e.getMessage(), e);
        }
    }

    static Initializer initializer(JsonObject cfg, String key, Initializer def) {
        if (!cfg.has(key)) {
            return def;
        }
        JsonNode v = cfg.raw(key);
        String path = cfg.path(key);
        if (v.isTextual()) {
            return keras(v.asText(), null, path);
        }
        JsonObject o = new JsonObject(v, path);
        String cls = o.requireString("class_name");
        JsonObject c = o.has("config") ? o.requireObject("config") : null;
        return keras(cls, c, path);
    }

    private static Initializer keras(String cls, JsonObject c, String path) {
        String n = cls.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        try {
            return switch (n) {
                case "zeros", "zero" -> new Initializer.Zeros();
                case "ones", "one" -> new Initializer.Ones();
                case "constant" -> new Initializer.Constant(c == null ? 0 : c.optDouble("value", 0));
                case "glorot_uniform" -> Initializer.glorotUniform();
                case "glorot_normal" -> Initializer.glorotNormal();
                case "he_uniform" ->
                    new Initializer.VarianceScaling(2, Initializer.FanMode.FAN_IN, Initializer.Distribution.UNIFORM);
                case "he_normal" ->
                    new Initializer.VarianceScaling(
                            2, Initializer.FanMode.FAN_IN, Initializer.Distribution.TRUNCATED_NORMAL);
                case "lecun_uniform" ->
                    new Initializer.VarianceScaling(1, Initializer.FanMode.FAN_IN, Initializer.Distribution.UNIFORM);
                case "lecun_normal" ->
                    new Initializer.VarianceScaling(
                            1, Initializer.FanMode.FAN_IN, Initializer.Distribution.TRUNCATED_NORMAL);
                case "orthogonal" -> new Initializer.Orthogonal(c == null ? 1 : c.optDouble("gain", 1));
                case "random_uniform" ->
                    new Initializer.RandomUniform(
                            c == null ? -0.05 : c.optDouble("minval", -0.05),
                            c == null ? 0.05 : c.optDouble("maxval", 0.05));
                case "random_normal", "truncated_normal" ->
                    new Initializer.RandomNormal(
                            c == null ? 0 : c.optDouble("mean", 0), c == null ? 0.05 : c.optDouble("stddev", 0.05));
                case "variance_scaling" ->
                    new Initializer.VarianceScaling(
                            c == null ? 1 : c.optDouble("scale", 1),
                            Initializer.FanMode.valueOf((c == null ? "fan_in" : c.optString("mode", "fan_in"))
                                    .replace("fanAvg", "fan_avg")
                                    .replace("fanIn", "fan_in")
                                    .replace("fanOut", "fan_out")
                                    .toUpperCase(Locale.ROOT)),
                            distribution(
                                    c == null ? "truncated_normal" : c.optString("distribution", "truncated_normal")));
                default -> throw new SpecException(path, "unsupported initializer '" + cls + "'");
            };
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage(), e);
        }
    }

    private static Initializer.Distribution distribution(String d) {
        return switch (d.toLowerCase(Locale.ROOT)) {
            case "uniform" -> Initializer.Distribution.UNIFORM;
            // Keras 2 and TensorFlow.js 'normal' is the truncated normal.
            case "normal", "truncated_normal", "truncatednormal" -> Initializer.Distribution.TRUNCATED_NORMAL;
            case "untruncated_normal" -> Initializer.Distribution.UNTRUNCATED_NORMAL;
            default -> throw new IllegalArgumentException("unknown variance_scaling distribution '" + d + "'");
        };
    }

    private static CompileSpec trainingConfig(JsonObject o) {
        try {
            Loss loss = o.has("loss") && o.raw("loss").isTextual()
                    ? Loss.fromJson(o.requireString("loss"))
                    : Loss.MEAN_SQUARED_ERROR;
            OptimizerSpec opt = new OptimizerSpec.Adam();
            if (o.has("optimizer_config") || o.has("optimizer")) {
                JsonNode on = o.has("optimizer_config") ? o.raw("optimizer_config") : o.raw("optimizer");
                if (on.isTextual()) {
                    opt = SpecJson.readOptimizer(on, o.path("optimizer"));
                } else if (on.has("class_name")) {
                    String cls = on.get("class_name").asText().toLowerCase(Locale.ROOT);
                    JsonNode cfg = on.path("config");
                    double lr =
                            cfg.path("learning_rate").asDouble(cfg.path("lr").asDouble(Double.NaN));
                    opt = switch (cls) {
                        case "sgd" ->
                            new OptimizerSpec.Sgd(
                                    Double.isNaN(lr) ? 0.01 : lr,
                                    cfg.path("momentum").asDouble(0),
                                    cfg.path("nesterov").asBoolean(false));
                        case "adam" ->
                            new OptimizerSpec.Adam(
                                    Double.isNaN(lr) ? 0.001 : lr,
                                    cfg.path("beta_1").asDouble(0.9),
                                    cfg.path("beta_2").asDouble(0.999),
                                    cfg.path("epsilon").asDouble(1e-7));
                        case "rmsprop" ->
                            new OptimizerSpec.RmsProp(
                                    Double.isNaN(lr) ? 0.001 : lr,
                                    cfg.path("rho").asDouble(0.9),
                                    cfg.path("momentum").asDouble(0),
                                    cfg.path("epsilon").asDouble(1e-7));
                        default -> new OptimizerSpec.Adam();
                    };
                }
            }
            return new CompileSpec(loss, opt, List.of());
        } catch (IllegalArgumentException e) {
            // The training config is optional in Keras files; an unusable one falls back to rnn4j's defaults.
            return null;
        }
    }
}
