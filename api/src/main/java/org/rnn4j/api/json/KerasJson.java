package org.rnn4j.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rnn4j.api.compile.CompileSpec;
import org.rnn4j.api.compile.LearningRateSchedule;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.LossOptions;
import org.rnn4j.api.compile.Metric;
import org.rnn4j.api.compile.OptimizerSpec;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports Keras architecture JSON: Keras 2 {@code model.to_json()}, Keras 3 {@code config.json}
 * (from a {@code .keras} zip) and the {@code modelTopology} of a TensorFlow.js {@code model.json},
 * with the training configuration when the file has one. Only the closed list of layer class names
 * is accepted; nothing in a file names a Java class. {@code hard_sigmoid} means Keras 2's
 * {@code clip(0.2x + 0.5, 0, 1)} in Keras 2 and TensorFlow.js files and Keras 3's
 * {@code clip(x/6 + 0.5, 0, 1)} in Keras 3 files: the dialect is detected, never guessed per layer.
 *
 * <p>Nothing is substituted. Every field is honoured, or:
 * <ul>
 *   <li>refused with a {@link SpecException} naming it, when it changes what the model computes
 *       and rnn4j cannot do it (stateful, return_state, merge_mode null, ...);</li>
 *   <li>for a field that only matters for training (an optimizer, loss, metric, regularizer,
 *       constraint or initializer rnn4j lacks; frozen layers), recorded as a training issue: the
 *       model loads and predicts, a warning line names the field, and {@code fit} refuses the model
 *       until it is compiled anew ({@link ModelSpec#trainingIssues()});</li>
 *   <li>a field rnn4j does not know at all is named in a warning line.</li>
 * </ul>
 * Warnings go to the {@code org.rnn4j.api.json.KerasJson} logger (stderr in the CLI).
 */
public final class KerasJson {
    private static final Logger LOG = LoggerFactory.getLogger(KerasJson.class);

    /** Which Keras wrote the file; decides what {@code hard_sigmoid} means. */
    public enum Dialect {
        KERAS2,
        KERAS3,
        TFJS
    }

    /** Layer config fields that change nothing rnn4j computes: names, shapes read elsewhere, implementation choices. */
    private static final Set<String> BOOKKEEPING = Set.of(
            "name",
            "batch_input_shape",
            "batch_shape",
            "batchInputShape",
            "input_shape",
            "input_dim",
            "input_length",
            "implementation",
            "use_cudnn",
            "seed",
            "autocast",
            "fused",
            "synchronized",
            "sparse",
            "ragged",
            "optional",
            "lora_alpha");

    private final Dialect dialect;
    private final List<String> issues = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** LayerNormalization layers whose file states a non-negative axis: {axis, JSON path}, checked against the rank. */
    private final Map<String, Object[]> layerNormAxes = new java.util.HashMap<>();

    private KerasJson(Dialect dialect) {
        this.dialect = dialect;
    }

    /** True when the JSON looks like a Keras / TF.js file rather than an rnn4j spec. */
    public static boolean isKeras(JsonNode root) {
        return root.has("modelTopology") || root.has("class_name") || root.has("model_config");
    }

    public static ModelSpec read(String json, String source) {
        return read(SpecJson.parse(json, source));
    }

    /** Reads a Keras / TF.js document (a whole {@code model.json}, a bare topology, or a Keras 3 config.json). */
    public static ModelSpec read(JsonNode root) {
        KerasJson reader = new KerasJson(dialectOf(root));
        ModelSpec spec = reader.model(root);
        reader.warnings.forEach(LOG::warn);
        reader.issues.forEach(i -> LOG.warn("{} (loaded for prediction; compile the model again before training)", i));
        return spec;
    }

    private ModelSpec model(JsonNode root) {
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
            layers.add(readLayer(cls, cfg));
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
        for (String key : List.of("training_config", "compile_config", "trainingConfig")) {
            if (root.has(key) && root.get(key).isObject()) {
                compile = trainingConfig(new JsonObject(root.get(key), "$." + key));
                break;
            }
        }
        try {
            ModelSpec spec = new ModelSpec(name, inputShape, dtype, layers, compile, null, issues);
            for (var info : spec.layerInfos()) {
                Object[] axis = layerNormAxes.get(info.name());
                if (axis != null && (int) axis[0] != info.inputShape().size()) {
                    throw new SpecException(
                            (String) axis[1],
                            "is " + axis[0] + " but the last axis of the layer's input " + info.inputShape()
                                    + " (with the batch) is "
                                    + info.inputShape().size()
                                    + "; rnn4j normalizes the last axis only");
                }
            }
            return spec;
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage(), e);
        }
    }

    static Dialect dialectOf(JsonNode root) {
        String version = "";
        JsonNode topo = root.has("modelTopology") ? root.get("modelTopology") : root;
        if (topo.has("model_config") && topo.get("model_config").has("keras_version")) {
            // The architecture's own version (a TensorFlow.js topology inside a Keras 2 file) decides.
            version = topo.get("model_config").get("keras_version").asText("");
        } else if (topo.has("keras_version")) {
            version = topo.get("keras_version").asText("");
        } else if (root.has("keras_version")) {
            version = root.get("keras_version").asText("");
        }
        if (version.startsWith("tfjs")
                || (root.has("format")
                        && "layers-model".equals(root.get("format").asText()))) {
            return Dialect.TFJS;
        }
        if (version.startsWith("3")
                || root.has("module")
                || topo.has("module")
                || topo.path("model_config").has("module")) {
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

    // ------------------------------------------------------------------------------ layers

    private LayerSpec readLayer(String cls, JsonObject cfg) {
        try {
            rejectUnsupported(cfg);
            readCommon(cfg);
            String name = cfg.has("name") ? sanitizeLayerName(cfg.requireString("name"), cfg.path("name")) : null;
            LayerSpec layer = switch (cls) {
                case "SimpleRNN" -> new SimpleRnnSpec(name, cfg.requireInt("units"), recurrent(cfg));
                case "LSTM" ->
                    new LstmSpec(name, cfg.requireInt("units"), recurrent(cfg), optBool(cfg, "unit_forget_bias", true));
                case "GRU" ->
                    new GruSpec(
                            name,
                            cfg.requireInt("units"),
                            recurrent(cfg),
                            optBool(cfg, "reset_after", dialect != Dialect.TFJS));
                case "Embedding" -> embedding(name, cfg);
                case "Dense" -> dense(name, cfg);
                case "Dropout" -> dropout(name, cfg);
                case "BatchNormalization" -> batchNorm(name, cfg);
                case "Bidirectional" -> bidirectional(name, cfg);
                case "TimeDistributed" -> {
                    JsonObject inner = cfg.requireObject("layer");
                    LayerSpec wrapped = readLayer(inner.requireString("class_name"), inner.requireObject("config"));
                    try {
                        yield new TimeDistributedSpec(name, wrapped);
                    } catch (IllegalArgumentException e) {
                        throw new SpecException(inner.path(), e.getMessage(), e);
                    }
                }
                case "Masking" -> new MaskingSpec(name, optDouble(cfg, "mask_value", 0));
                case "Conv1D" -> conv1d(name, cfg);
                case "MaxPooling1D", "AveragePooling1D" -> pooling(name, cls, cfg);
                case "GlobalAveragePooling1D", "GlobalMaxPooling1D" -> {
                    channelsLast(cfg);
                    yield new GlobalPooling1DSpec(
                            name,
                            cls.startsWith("GlobalMax") ? Pooling1DSpec.Pool.MAX : Pooling1DSpec.Pool.AVERAGE,
                            optBool(cfg, "keepdims", false));
                }
                case "LayerNormalization" -> layerNorm(name, cfg);
                case "Flatten" -> {
                    channelsLast(cfg);
                    yield new FlattenSpec(name);
                }
                case "RepeatVector" -> new RepeatVectorSpec(name, cfg.requireInt("n"));
                case "Activation" -> new ActivationSpec(name, activation(cfg, "activation", "linear", dialect));
                default ->
                    throw new SpecException(
                            cfg.path(),
                            "unsupported Keras layer '" + cls + "'; rnn4j reads " + SpecJson.LAYER_TYPES
                                    + " (plus InputLayer)");
            };
            warnUnread(cfg);
            return layer;
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

    /** Options that change what the model computes and that rnn4j does not have: refused. */
    private static void rejectUnsupported(JsonObject cfg) {
        for (String key : List.of("stateful", "return_state", "unroll_state", "zero_output_for_mask")) {
            if (cfg.has(key) && cfg.raw(key).asBoolean(false)) {
                throw new SpecException(
                        cfg.path(key), "is true, which rnn4j does not support; save the model with " + key + "=False");
            }
        }
        if (cfg.has("time_major") && cfg.raw("time_major").asBoolean(false)) {
            throw new SpecException(cfg.path("time_major"), "is true; rnn4j is batch-major");
        }
        for (String key : List.of("lora_rank", "quantization_config")) {
            JsonNode v = cfg.raw(key);
            if (v != null && !v.isNull() && !(v.isNumber() && v.asInt() == 0)) {
                throw new SpecException(
                        cfg.path(key),
                        "is set (" + JsonObject.describe(v) + "), which rnn4j does not support; save the model"
                                + " without LoRA or quantization");
            }
        }
    }

    /** Fields every layer may carry: {@code trainable} (frozen layers are a training issue) and {@code dtype}. */
    private void readCommon(JsonObject cfg) {
        if (cfg.has("trainable") && !cfg.raw("trainable").asBoolean(true)) {
            issue(cfg.path("trainable"), "is false: rnn4j trains every layer and cannot freeze one");
        }
        cfg.raw("trainable");
        if (cfg.has("dtype")) {
            JsonNode d = cfg.raw("dtype");
            String text =
                    d.isTextual() ? d.asText() : d.path("config").path("name").asText("float32");
            if (!text.equals("float32") && !text.startsWith("int")) {
                warn(cfg.path("dtype"), "is " + text + "; rnn4j computes in float32");
            }
        }
    }

    private static boolean optBool(JsonObject cfg, String key, boolean def) {
        // TensorFlow.js writes null for options it leaves at their default.
        return cfg.has(key) ? cfg.optBool(key, def) : def;
    }

    private double optDouble(JsonObject cfg, String key, double def) {
        return cfg.has(key) ? cfg.requireDouble(key) : markRead(cfg, key, def);
    }

    private static <T> T markRead(JsonObject cfg, String key, T value) {
        cfg.raw(key);
        return value;
    }

    private RecurrentOptions recurrent(JsonObject cfg) {
        return new RecurrentOptions(
                activation(cfg, "activation", "tanh", dialect),
                activation(cfg, "recurrent_activation", dialect == Dialect.TFJS ? "hard_sigmoid" : "sigmoid", dialect),
                optBool(cfg, "use_bias", true),
                optBool(cfg, "return_sequences", false),
                optBool(cfg, "go_backwards", false),
                optDouble(cfg, "dropout", 0),
                optDouble(cfg, "recurrent_dropout", 0),
                initializer(cfg, "kernel_initializer", Initializer.glorotUniform()),
                initializer(cfg, "recurrent_initializer", Initializer.orthogonal()),
                initializer(cfg, "bias_initializer", Initializer.zeros()),
                optBool(cfg, "unroll", false),
                rules(cfg, "kernel", true, true));
    }

    private DenseSpec dense(String name, JsonObject cfg) {
        return new DenseSpec(
                name,
                cfg.requireInt("units"),
                activation(cfg, "activation", "linear", dialect),
                optBool(cfg, "use_bias", true),
                initializer(cfg, "kernel_initializer", Initializer.glorotUniform()),
                initializer(cfg, "bias_initializer", Initializer.zeros()),
                rules(cfg, "kernel", false, optBool(cfg, "use_bias", true)));
    }

    private EmbeddingSpec embedding(String name, JsonObject cfg) {
        return new EmbeddingSpec(
                name,
                cfg.requireInt("input_dim"),
                cfg.requireInt("output_dim"),
                optBool(cfg, "mask_zero", false),
                initializer(cfg, "embeddings_initializer", new Initializer.RandomUniform(-0.05, 0.05)),
                rules(cfg, "embeddings", false, false));
    }

    private DropoutSpec dropout(String name, JsonObject cfg) {
        if (cfg.has("noise_shape")) {
            issue(cfg.path("noise_shape"), "is set; rnn4j draws one dropout value per element");
        }
        cfg.raw("noise_shape");
        return new DropoutSpec(name, cfg.requireDouble("rate"));
    }

    private BatchNormalizationSpec batchNorm(String name, JsonObject cfg) {
        if (cfg.has("axis")) {
            JsonNode axis = cfg.raw("axis");
            int a = axis.isArray() && axis.size() == 1 ? axis.get(0).asInt() : axis.asInt(-1);
            if (a != -1 && a != 2) {
                throw new SpecException(cfg.path("axis"), "rnn4j normalizes the last axis only, got axis " + axis);
            }
        }
        Map<String, Initializer> defaults = Map.of(
                "beta_initializer", new Initializer.Zeros(),
                "gamma_initializer", new Initializer.Ones(),
                "moving_mean_initializer", new Initializer.Zeros(),
                "moving_variance_initializer", new Initializer.Ones());
        defaults.forEach((key, def) -> {
            if (!def.equals(initializer(cfg, key, def))) {
                issue(cfg.path(key), "is not Keras's default; rnn4j starts BatchNormalization from the defaults");
            }
        });
        for (String key : List.of(
                "beta_regularizer",
                "gamma_regularizer",
                "beta_constraint",
                "gamma_constraint",
                "virtual_batch_size",
                "adjustment",
                "renorm_clipping")) {
            if (cfg.has(key)) {
                issue(cfg.path(key), "is set, which rnn4j's BatchNormalization does not have");
            }
            cfg.raw(key);
        }
        if (cfg.has("renorm") && cfg.raw("renorm").asBoolean(false)) {
            issue(cfg.path("renorm"), "is true; rnn4j's BatchNormalization has no batch renormalization");
        }
        cfg.raw("renorm");
        cfg.raw("renorm_momentum");
        return new BatchNormalizationSpec(
                name,
                optDouble(cfg, "momentum", 0.99),
                optDouble(cfg, "epsilon", 1e-3),
                optBool(cfg, "center", true),
                optBool(cfg, "scale", true));
    }

    /** Refuses {@code data_format: channels_first}: rnn4j is [batch, time, features]. */
    private static void channelsLast(JsonObject cfg) {
        if (cfg.has("data_format")) {
            String f = cfg.requireString("data_format");
            if (!f.equals("channels_last")) {
                throw new SpecException(
                        cfg.path("data_format"),
                        "is '" + f + "'; rnn4j layers are channels_last ([batch, time, features])");
            }
        }
        cfg.raw("data_format");
    }

    /** An int, or Keras's one-element list of it ({@code kernel_size: [3]}). */
    private static int single(JsonObject cfg, String key, int def) {
        if (!cfg.has(key)) {
            cfg.raw(key);
            return def;
        }
        JsonNode v = cfg.raw(key);
        if (v.isArray()) {
            if (v.size() != 1 || !v.get(0).canConvertToInt()) {
                throw new SpecException(cfg.path(key), "must be one integer for a 1-D layer, got " + v);
            }
            return v.get(0).asInt();
        }
        return cfg.requireInt(key);
    }

    private Conv1DSpec conv1d(String name, JsonObject cfg) {
        channelsLast(cfg);
        if (cfg.has("groups") && cfg.requireInt("groups") != 1) {
            throw new SpecException(
                    cfg.path("groups"), "is " + cfg.requireInt("groups") + "; rnn4j's Conv1D has one group");
        }
        cfg.raw("groups");
        boolean useBias = optBool(cfg, "use_bias", true);
        return new Conv1DSpec(
                name,
                cfg.requireInt("filters"),
                single(cfg, "kernel_size", 1),
                single(cfg, "strides", 1),
                cfg.has("padding")
                        ? Padding.fromJson(cfg.requireString("padding"))
                        : markRead(cfg, "padding", Padding.VALID),
                single(cfg, "dilation_rate", 1),
                activation(cfg, "activation", "linear", dialect),
                useBias,
                initializer(cfg, "kernel_initializer", Initializer.glorotUniform()),
                initializer(cfg, "bias_initializer", Initializer.zeros()),
                rules(cfg, "kernel", false, useBias));
    }

    private Pooling1DSpec pooling(String name, String cls, JsonObject cfg) {
        channelsLast(cfg);
        int pool = single(cfg, "pool_size", 2);
        return new Pooling1DSpec(
                name,
                cls.startsWith("Max") ? Pooling1DSpec.Pool.MAX : Pooling1DSpec.Pool.AVERAGE,
                pool,
                single(cfg, "strides", pool),
                cfg.has("padding")
                        ? Padding.fromJson(cfg.requireString("padding"))
                        : markRead(cfg, "padding", Padding.VALID));
    }

    private LayerNormalizationSpec layerNorm(String name, JsonObject cfg) {
        if (cfg.has("axis")) {
            JsonNode axis = cfg.raw("axis");
            int a = axis.isArray() && axis.size() == 1 ? axis.get(0).asInt() : axis.isInt() ? axis.asInt() : 99;
            // Keras 2 stores the axis resolved ([2] for a 3-D input); checked against the rank once shapes are known.
            if (a != -1 && a != 1 && a != 2) {
                throw new SpecException(cfg.path("axis"), "rnn4j normalizes the last axis only, got axis " + axis);
            }
            if (a != -1) {
                layerNormAxes.put(name, new Object[] {a, cfg.path("axis")});
            }
        }
        if (cfg.has("rms_scaling") && cfg.raw("rms_scaling").asBoolean(false)) {
            throw new SpecException(cfg.path("rms_scaling"), "is true, which rnn4j's LayerNormalization does not do");
        }
        cfg.raw("rms_scaling");
        Map<String, Initializer> defaults =
                Map.of("beta_initializer", new Initializer.Zeros(), "gamma_initializer", new Initializer.Ones());
        defaults.forEach((key, def) -> {
            if (!def.equals(initializer(cfg, key, def))) {
                issue(cfg.path(key), "is not Keras's default; rnn4j starts LayerNormalization from the defaults");
            }
        });
        for (String key : List.of("beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint")) {
            if (cfg.has(key)) {
                issue(cfg.path(key), "is set, which rnn4j's LayerNormalization does not have");
            }
            cfg.raw(key);
        }
        return new LayerNormalizationSpec(
                name, optDouble(cfg, "epsilon", 1e-3), optBool(cfg, "center", true), optBool(cfg, "scale", true));
    }

    private BidirectionalSpec bidirectional(String name, JsonObject cfg) {
        JsonObject inner = cfg.requireObject("layer");
        LayerSpec wrapped = readLayer(inner.requireString("class_name"), inner.requireObject("config"));
        if (!(wrapped instanceof RecurrentSpec r)) {
            throw new SpecException(
                    inner.path(), "Bidirectional wraps a SimpleRNN, LSTM or GRU, got " + wrapped.typeName());
        }
        if (cfg.has("backward_layer")) {
            requireMirror(inner, cfg.requireObject("backward_layer"));
        }
        if (r.options().rules().activityRegularizer() != null) {
            issue(
                    inner.path() + ".config.activity_regularizer",
                    "is set inside a Bidirectional, which rnn4j does not support");
            r = r.withOptions(r.options().withRules(r.options().rules().withActivityRegularizer(null)));
        }
        JsonNode mode = cfg.raw("merge_mode");
        if (mode != null) {
            if (mode.isNull()) {
                throw new SpecException(
                        cfg.path("merge_mode"),
                        "is null, which makes Bidirectional return its two directions as two outputs;"
                                + " rnn4j models have one output: save the model with merge_mode concat, sum, mul"
                                + " or ave");
            }
            return new BidirectionalSpec(name, r, MergeMode.fromJson(cfg.requireString("merge_mode")));
        }
        return new BidirectionalSpec(name, r, MergeMode.CONCAT);
    }

    /** Names every non-null field of {@code cfg} that no reader looked at. */
    private void warnUnread(JsonObject cfg) {
        for (String field : cfg.unread()) {
            if (!BOOKKEEPING.contains(field)) {
                warn(cfg.path(field), "is not a field rnn4j knows; it was ignored");
            }
        }
    }

    private void issue(String path, String message) {
        issues.add(path + ": " + message);
    }

    private void warn(String path, String message) {
        warnings.add(path + ": " + message);
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
        } else {
            cfg.raw(key);
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

    // ------------------------------------------------------------------------------ initializers

    /** An initializer; one rnn4j lacks is a training issue (the layer's default stands in for drawing fresh weights). */
    private Initializer initializer(JsonObject cfg, String key, Initializer def) {
        try {
            return initializer(cfg, key, def, dialect);
        } catch (SpecException e) {
            issues.add(e.getMessage());
            return def;
        }
    }

    static Initializer initializer(JsonObject cfg, String key, Initializer def, Dialect dialect) {
        if (!cfg.has(key)) {
            cfg.raw(key);
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
                case "random_normal" ->
                    new Initializer.RandomNormal(
                            c == null ? 0 : c.optDouble("mean", 0), c == null ? 0.05 : c.optDouble("stddev", 0.05));
                case "truncated_normal" ->
                    new Initializer.TruncatedNormal(
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

    // ------------------------------------------------------------------------------ regularizers, constraints

    /** A layer's regularizers and constraints; those rnn4j lacks are training issues. */
    private WeightRules rules(JsonObject cfg, String kernel, boolean recurrent, boolean bias) {
        return new WeightRules(
                regularizer(cfg, kernel + "_regularizer"),
                recurrent ? regularizer(cfg, "recurrent_regularizer") : null,
                bias ? regularizer(cfg, "bias_regularizer") : markRead(cfg, "bias_regularizer", null),
                regularizer(cfg, "activity_regularizer"),
                constraint(cfg, kernel + "_constraint"),
                recurrent ? constraint(cfg, "recurrent_constraint") : null,
                bias ? constraint(cfg, "bias_constraint") : markRead(cfg, "bias_constraint", null));
    }

    /** Keras's L1, L2, L1L2 (as a name or an object); null for none. */
    private Regularizer regularizer(JsonObject cfg, String key) {
        if (!cfg.has(key)) {
            cfg.raw(key);
            return null;
        }
        JsonNode v = cfg.raw(key);
        String path = cfg.path(key);
        String cls = v.isTextual() ? v.asText() : v.path("class_name").asText("");
        JsonNode c = v.isTextual() ? null : v.get("config");
        String n = cls.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        // Keras's defaults: L1(0.01), L2(0.01), L1L2(0, 0); TensorFlow.js's L1L2 defaults to 0.01 and 0.01.
        double l1Default =
                n.equals("l1") ? 0.01 : (n.equals("l1_l2") || n.equals("l1l2")) && dialect == Dialect.TFJS ? 0.01 : 0;
        double l2Default =
                n.equals("l2") ? 0.01 : (n.equals("l1_l2") || n.equals("l1l2")) && dialect == Dialect.TFJS ? 0.01 : 0;
        if (!Set.of("l1", "l2", "l1_l2", "l1l2").contains(n)) {
            issue(path, "regularizer '" + cls + "' is not one rnn4j has (L1, L2, L1L2)");
            return null;
        }
        double l1 = n.equals("l2") ? 0 : number(c, "l1", l1Default);
        double l2 = n.equals("l1") ? 0 : number(c, "l2", l2Default);
        if (l1 == 0 && l2 == 0) {
            return null;
        }
        try {
            return new Regularizer(l1, l2);
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage(), e);
        }
    }

    private static double number(JsonNode config, String key, double def) {
        JsonNode v = config == null ? null : config.get(key);
        return v == null || v.isNull() ? def : v.asDouble();
    }

    /** Keras's MaxNorm, NonNeg, UnitNorm, MinMaxNorm; null for none. */
    private Constraint constraint(JsonObject cfg, String key) {
        if (!cfg.has(key)) {
            cfg.raw(key);
            return null;
        }
        JsonNode v = cfg.raw(key);
        String path = cfg.path(key);
        String cls = v.isTextual() ? v.asText() : v.path("class_name").asText("");
        JsonNode c = v.isTextual() ? null : v.get("config");
        String n = cls.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        try {
            return switch (n) {
                case "max_norm", "maxnorm" -> new Constraint.MaxNorm(number(c, "max_value", 2), axes(c, path));
                case "non_neg", "nonneg" -> new Constraint.NonNeg();
                case "unit_norm", "unitnorm" -> new Constraint.UnitNorm(axes(c, path));
                case "min_max_norm", "minmaxnorm" ->
                    new Constraint.MinMaxNorm(
                            number(c, "min_value", 0), number(c, "max_value", 1), number(c, "rate", 1), axes(c, path));
                default -> {
                    issue(
                            path,
                            "constraint '" + cls + "' is not one rnn4j has (MaxNorm, NonNeg, UnitNorm, MinMaxNorm)");
                    yield null;
                }
            };
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage(), e);
        }
    }

    private static List<Integer> axes(JsonNode config, String path) {
        JsonNode a = config == null ? null : config.get("axis");
        if (a == null || a.isNull()) {
            return List.of(0);
        }
        if (a.isIntegralNumber()) {
            return List.of(a.asInt());
        }
        if (a.isArray()) {
            List<Integer> out = new ArrayList<>();
            a.forEach(x -> out.add(x.asInt()));
            return out;
        }
        throw new SpecException(
                path + ".config.axis", "must be an axis or a list of axes, got " + JsonObject.describe(a));
    }

    // ------------------------------------------------------------------------------ training configuration

    /**
     * Keras 2 {@code training_config}, Keras 3 {@code compile_config}, TensorFlow.js
     * {@code trainingConfig}. Every field is honoured or recorded as a training issue; with any
     * issue the compile spec is rnn4j's default, which {@code fit} then refuses to use.
     */
    private CompileSpec trainingConfig(JsonObject o) {
        int before = issues.size();
        Loss loss = Loss.MEAN_SQUARED_ERROR;
        LossOptions lossOptions = LossOptions.DEFAULT;
        if (o.has("loss")) {
            Object[] l = loss(o.raw("loss"), o.path("loss"));
            if (l != null) {
                loss = (Loss) l[0];
                lossOptions = (LossOptions) l[1];
            }
        } else {
            issue(o.path("loss"), "is missing");
        }
        OptimizerSpec opt = null;
        for (String key : List.of("optimizer_config", "optimizer")) {
            if (o.has(key)) {
                opt = optimizer(o.raw(key), o.path(key));
                break;
            }
            o.raw(key);
        }
        if (opt == null && issues.size() == before) {
            issue(o.path("optimizer"), "is missing");
        }
        List<Metric> metrics = new ArrayList<>();
        if (o.has("metrics")) {
            metrics(o.raw("metrics"), o.path("metrics"), metrics);
        }
        o.raw("metrics");
        for (String key : List.of("loss_weights", "weighted_metrics", "sample_weight_mode")) {
            if (o.has(key)) {
                issue(o.path(key), "is set; rnn4j models have one output and no weighted metrics");
            }
            o.raw(key);
        }
        for (String key : List.of("run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss")) {
            o.raw(key);
        }
        for (String field : o.unread()) {
            issue(o.path(field), "is not a training option rnn4j knows");
        }
        if (issues.size() > before || opt == null) {
            return null;
        }
        try {
            return new CompileSpec(loss, opt, metrics, lossOptions);
        } catch (IllegalArgumentException e) {
            issue(o.path(), e.getMessage());
            return null;
        }
    }

    /** Loss classes whose snake-cased name is not the loss's own. */
    private static final Map<String, String> LOSS_CLASSES = Map.of(
            "KLDivergence", "kl_divergence",
            "LogCosh", "log_cosh",
            "CosineSimilarity", "cosine_similarity");

    /** A loss name or object: {loss, options}, or null when it is an issue. */
    private Object[] loss(JsonNode v, String path) {
        String name;
        JsonNode config = null;
        if (v.isTextual()) {
            name = v.asText();
        } else if (v.isObject() && v.has("class_name")) {
            String cls = v.get("class_name").asText();
            config = v.get("config");
            if (cls.equals("function") && config != null && config.isTextual()) {
                name = config.asText();
                config = null;
            } else {
                name = LOSS_CLASSES.getOrDefault(cls, cls);
            }
        } else {
            issue(path, "is " + JsonObject.describe(v) + "; rnn4j models have one output and one loss");
            return null;
        }
        Loss loss;
        try {
            loss = Loss.fromJson(name);
        } catch (IllegalArgumentException e) {
            issue(path, e.getMessage());
            return null;
        }
        boolean fromLogits = false;
        double smoothing = 0;
        double delta = 1;
        if (config != null && config.isObject()) {
            JsonObject c = new JsonObject(config, path + ".config");
            fromLogits = c.has("from_logits") && c.raw("from_logits").asBoolean(false);
            smoothing = c.has("label_smoothing") ? c.requireDouble("label_smoothing") : 0;
            delta = c.has("delta") ? c.requireDouble("delta") : 1;
            c.raw("from_logits");
            c.raw("label_smoothing");
            c.raw("delta");
            c.raw("name");
            c.raw("dtype");
            c.raw("fn");
            String reduction = c.optString("reduction", "sum_over_batch_size");
            if (!reduction.equals("sum_over_batch_size") && !reduction.equals("auto")) {
                issue(c.path("reduction"), "is '" + reduction + "'; rnn4j reduces as sum_over_batch_size");
            }
            if (c.has("axis") && c.raw("axis").asInt(-1) != -1) {
                issue(c.path("axis"), "is " + c.raw("axis") + "; rnn4j computes losses over the last axis");
            }
            c.raw("axis");
            if (c.has("ignore_class")) {
                issue(c.path("ignore_class"), "is set, which rnn4j does not support");
            }
            c.raw("ignore_class");
            for (String field : c.unread()) {
                issue(c.path(field), "is not a loss option rnn4j knows");
            }
        }
        try {
            return new Object[] {loss, checkedLossOptions(loss, new LossOptions(fromLogits, smoothing, delta))};
        } catch (IllegalArgumentException e) {
            issue(path, e.getMessage());
            return null;
        }
    }

    private static LossOptions checkedLossOptions(Loss loss, LossOptions options) {
        new CompileSpec(loss, new OptimizerSpec.Sgd(), List.of(), options);
        return options;
    }

    /** Metric classes whose snake-cased name is not the metric's own. */
    private static final Map<String, String> METRIC_CLASSES = Map.of(
            "AUC", "auc",
            "TopKCategoricalAccuracy", "top_k_categorical_accuracy",
            "SparseTopKCategoricalAccuracy", "sparse_top_k_categorical_accuracy",
            "R2Score", "r2_score");

    private void metrics(JsonNode v, String path, List<Metric> out) {
        if (!v.isArray()) {
            issue(path, "is " + JsonObject.describe(v) + "; rnn4j reads a list of metrics for its one output");
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode m = v.get(i);
            String p = path + "[" + i + "]";
            if (m.isArray()) {
                // Keras 2 writes one list per output; rnn4j models have one.
                metrics(m, p, out);
                continue;
            }
            Metric metric = metric(m, p);
            if (metric != null && !out.contains(metric)) {
                out.add(metric);
            }
        }
    }

    private Metric metric(JsonNode m, String path) {
        String name;
        JsonNode config = null;
        if (m.isTextual()) {
            name = m.asText();
        } else if (m.isObject() && m.has("class_name")) {
            String cls = m.get("class_name").asText();
            config = m.get("config");
            if (cls.equals("function") && config != null && config.isTextual()) {
                name = config.asText();
                config = null;
            } else if (cls.equals("MeanMetricWrapper") && config != null) {
                JsonNode fn = config.get("fn");
                name = fn != null && fn.isTextual()
                        ? fn.asText()
                        : config.path("name").asText("");
                config = null;
            } else {
                name = METRIC_CLASSES.getOrDefault(cls, cls);
            }
        } else {
            issue(path, "is " + JsonObject.describe(m) + ", not a metric rnn4j reads");
            return null;
        }
        Metric metric;
        try {
            metric = Metric.fromJson(name);
        } catch (IllegalArgumentException e) {
            issue(path, e.getMessage());
            return null;
        }
        if (config != null && config.isObject()) {
            // Keras's defaults are what rnn4j computes; anything else is an issue.
            Map<String, Object> defaults = Map.of(
                    "k",
                    5,
                    "threshold",
                    0.5,
                    "thresholds",
                    0.5,
                    "num_thresholds",
                    200,
                    "curve",
                    "ROC",
                    "summation_method",
                    "interpolation",
                    "class_aggregation",
                    "uniform_average",
                    "num_regressors",
                    0);
            Set<String> ignorable = Set.of("name", "dtype", "from_sorted_ids", "multi_label", "from_logits");
            for (var it = config.fields(); it.hasNext(); ) {
                var f = it.next();
                JsonNode val = f.getValue();
                if (val.isNull() || (ignorable.contains(f.getKey()) && !(val.isBoolean() && val.asBoolean()))) {
                    continue;
                }
                Object def = defaults.get(f.getKey());
                boolean same = def instanceof Number n
                        ? val.isNumber() && val.asDouble() == n.doubleValue()
                        : def != null && val.isTextual() && val.asText().equalsIgnoreCase(def.toString());
                if (!same) {
                    issue(
                            path + ".config." + f.getKey(),
                            "is " + val + "; rnn4j computes " + metric.jsonName() + " with Keras's default "
                                    + (def == null ? "(none)" : def));
                }
            }
        }
        return metric;
    }

    /** Keras's optimizer field names and TensorFlow.js's camelCase ones. */
    private static final Map<String, String> TFJS_OPTIMIZER_FIELDS = Map.of(
            "learningRate", "learning_rate",
            "beta1", "beta_1",
            "beta2", "beta_2",
            "initialAccumulatorValue", "initial_accumulator_value",
            "useNesterov", "nesterov",
            "decay", "decay");

    /**
     * A Keras optimizer ({@code class_name} + {@code config}, or a name), honoured field by field.
     * Keras 2's legacy {@code decay} is the InverseTimeDecay it computes.
     */
    private OptimizerSpec optimizer(JsonNode on, String path) {
        if (on.isTextual()) {
            try {
                return SpecJson.readOptimizer(on, path);
            } catch (SpecException e) {
                issues.add(e.getMessage());
                return null;
            }
        }
        if (!on.isObject() || !on.has("class_name")) {
            issue(path, "is " + JsonObject.describe(on) + ", not an optimizer rnn4j reads");
            return null;
        }
        String cls = on.get("class_name").asText().toLowerCase(Locale.ROOT);
        OptimizerSpec defaults = switch (cls) {
            case "sgd" -> new OptimizerSpec.Sgd();
            case "adam" -> new OptimizerSpec.Adam();
            case "adamw" -> new OptimizerSpec.AdamW();
            case "nadam" -> new OptimizerSpec.Nadam();
            case "adagrad" -> new OptimizerSpec.Adagrad();
            case "adamax" -> new OptimizerSpec.Adamax();
            case "rmsprop" -> new OptimizerSpec.RmsProp();
            default -> null;
        };
        if (defaults == null) {
            issue(
                    path + ".class_name",
                    "optimizer '" + on.get("class_name").asText() + "' is not one rnn4j has; known: "
                            + OptimizerSpec.NAMES);
            return null;
        }
        JsonObject c;
        int before = issues.size();
        // TensorFlow.js writes camelCase; rename into a copy so every field has its Keras name.
        com.fasterxml.jackson.databind.node.ObjectNode fields =
                SpecJson.mapper().createObjectNode();
        for (var it = on.path("config").fields(); it.hasNext(); ) {
            var f = it.next();
            fields.set(TFJS_OPTIMIZER_FIELDS.getOrDefault(f.getKey(), f.getKey()), f.getValue());
        }
        c = new JsonObject(fields, path + ".config");
        c.raw("name");
        c.raw("jit_compile");
        c.raw("is_legacy_optimizer");
        if (c.has("use_ema") && c.raw("use_ema").asBoolean(false)) {
            issue(c.path("use_ema"), "is true; rnn4j has no exponential moving average of the weights");
        }
        c.raw("use_ema");
        c.raw("ema_momentum");
        c.raw("ema_overwrite_frequency");
        for (String key : List.of("loss_scale_factor", "gradient_accumulation_steps")) {
            if (c.has(key)) {
                issue(c.path(key), "is set; rnn4j does not scale the loss or accumulate gradients");
            }
            c.raw(key);
        }
        if (c.has("schedule_decay")) {
            issue(
                    c.path("schedule_decay"),
                    "is set: Keras 2's legacy Nadam momentum schedule differs from Keras 3's, which rnn4j implements");
        }
        c.raw("schedule_decay");
        double decay = c.has("decay") ? c.requireDouble("decay") : 0;
        c.raw("decay");
        JsonNode lrNode = c.has("learning_rate") ? c.raw("learning_rate") : c.raw("lr");
        c.raw("learning_rate");
        c.raw("lr");
        LearningRateSchedule schedule = null;
        double lr = defaults.learningRate();
        if (lrNode != null && lrNode.isObject()) {
            schedule = schedule(lrNode, c.path("learning_rate"));
            if (schedule == null) {
                return null;
            }
            lr = schedule.initialLearningRate();
        } else if (lrNode != null && !lrNode.isNull()) {
            lr = lrNode.asDouble();
        }
        if (decay > 0) {
            if (schedule != null) {
                issue(c.path("decay"), "is set together with a learning-rate schedule");
                return null;
            }
            // Keras 2's legacy decay: lr / (1 + decay * iterations).
            schedule = new LearningRateSchedule.InverseTimeDecay(lr, 1, decay, false);
        }
        // The rnn4j optimizer object: Keras fields, Keras defaults for the missing ones.
        com.fasterxml.jackson.databind.node.ObjectNode spec = SpecJson.mapper().createObjectNode();
        spec.put("type", defaults.jsonName());
        if (schedule != null) {
            spec.set("learning_rate", SpecJson.scheduleJson(schedule));
        } else {
            spec.put("learning_rate", lr);
        }
        List<String> known = switch (defaults.jsonName()) {
            case "sgd" -> List.of("momentum", "nesterov");
            case "adam", "adamw" -> List.of("beta_1", "beta_2", "epsilon", "amsgrad");
            case "nadam", "adamax" -> List.of("beta_1", "beta_2", "epsilon");
            case "adagrad" -> List.of("initial_accumulator_value", "epsilon");
            default -> List.of("rho", "momentum", "epsilon", "centered");
        };
        for (String key : known) {
            if (c.has(key)) {
                spec.set(key, c.raw(key));
            }
            c.raw(key);
        }
        for (String key : List.of("clipnorm", "clipvalue", "global_clipnorm", "weight_decay")) {
            if (c.has(key)) {
                spec.set(key, c.raw(key));
            }
            c.raw(key);
        }
        for (String field : c.unread()) {
            issue(c.path(field), "is not an optimizer option rnn4j knows");
        }
        if (issues.size() > before) {
            return null;
        }
        try {
            return SpecJson.readOptimizer(spec, path + ".config");
        } catch (SpecException e) {
            issues.add(e.getMessage());
            return null;
        }
    }

    /** Keras's schedule class names and their rnn4j types. */
    private static final Map<String, String> SCHEDULES = Map.of(
            "ExponentialDecay", "exponential_decay",
            "InverseTimeDecay", "inverse_time_decay",
            "PiecewiseConstantDecay", "piecewise_constant_decay",
            "PolynomialDecay", "polynomial_decay",
            "CosineDecay", "cosine_decay");

    private LearningRateSchedule schedule(JsonNode v, String path) {
        String cls = v.path("class_name").asText("");
        String type = SCHEDULES.get(cls);
        if (type == null) {
            issue(path, "learning-rate schedule '" + cls + "' is not one rnn4j has; known: " + SCHEDULES.keySet());
            return null;
        }
        com.fasterxml.jackson.databind.node.ObjectNode spec = SpecJson.mapper().createObjectNode();
        spec.put("type", type);
        JsonNode config = v.path("config");
        for (var it = config.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!f.getKey().equals("name")) {
                spec.set(f.getKey(), f.getValue());
            }
        }
        try {
            return SpecJson.readSchedule(new JsonObject(spec, path + ".config"));
        } catch (SpecException e) {
            issues.add(e.getMessage());
            return null;
        }
    }
}
