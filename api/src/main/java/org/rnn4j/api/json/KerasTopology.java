package org.rnn4j.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
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
import org.rnn4j.api.layers.Pooling1DSpec;
import org.rnn4j.api.layers.RecurrentSpec;
import org.rnn4j.api.layers.Regularizer;
import org.rnn4j.api.layers.RepeatVectorSpec;
import org.rnn4j.api.layers.SimpleRnnSpec;
import org.rnn4j.api.layers.TimeDistributedSpec;
import org.rnn4j.api.layers.WeightRules;
import org.rnn4j.api.model.ModelSpec;

/**
 * Writes a model as the Keras-2-style topology TensorFlow.js reads ({@code modelTopology} of a
 * layers-model {@code model.json}). Every option is written explicitly, because TensorFlow.js
 * fills gaps with its own defaults (hard_sigmoid gates, glorot_normal kernels).
 */
public final class KerasTopology {
    private static final ObjectMapper MAPPER = SpecJson.mapper();

    private KerasTopology() {}

    public static ObjectNode toJson(ModelSpec spec) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("class_name", "Sequential");
        ObjectNode config = root.putObject("config");
        config.put("name", spec.name());
        ArrayNode layers = config.putArray("layers");
        List<LayerSpec> specs = spec.layers();
        for (int i = 0; i < specs.size(); i++) {
            ObjectNode layer = layer(specs.get(i));
            if (i == 0) {
                ObjectNode cfg = (ObjectNode) layer.get("config");
                ArrayNode shape = cfg.putArray("batch_input_shape");
                shape.addNull();
                spec.inputShape().forEach(d -> {
                    if (d < 0) {
                        shape.addNull();
                    } else {
                        shape.add(d);
                    }
                });
                cfg.put("dtype", "float32");
            }
            layers.add(layer);
        }
        root.put("keras_version", "tfjs-layers 4.22.0");
        root.put("backend", "tensor_flow.js");
        return root;
    }

    static String activation(Activation a) {
        // Keras-3's hard_sigmoid has no TensorFlow.js name; rnn4j reads its own rnn4j.json, not this topology.
        return a == Activation.HARD_SIGMOID || a == Activation.HARD_SIGMOID_KERAS2 ? "hard_sigmoid" : a.jsonName();
    }

    static ObjectNode initializer(Initializer init) {
        ObjectNode o = MAPPER.createObjectNode();
        ObjectNode c = MAPPER.createObjectNode();
        if (init instanceof Initializer.Zeros) {
            o.put("class_name", "Zeros");
        } else if (init instanceof Initializer.Ones) {
            o.put("class_name", "Ones");
        } else if (init instanceof Initializer.Constant k) {
            o.put("class_name", "Constant");
            c.put("value", k.value());
        } else if (init instanceof Initializer.RandomUniform u) {
            o.put("class_name", "RandomUniform");
            c.put("minval", u.minval()).put("maxval", u.maxval()).putNull("seed");
        } else if (init instanceof Initializer.RandomNormal n) {
            o.put("class_name", "RandomNormal");
            c.put("mean", n.mean()).put("stddev", n.stddev()).putNull("seed");
        } else if (init instanceof Initializer.TruncatedNormal n) {
            o.put("class_name", "TruncatedNormal");
            c.put("mean", n.mean()).put("stddev", n.stddev()).putNull("seed");
        } else if (init instanceof Initializer.Orthogonal g) {
            o.put("class_name", "Orthogonal");
            c.put("gain", g.gain()).putNull("seed");
        } else if (init instanceof Initializer.VarianceScaling v) {
            o.put("class_name", "VarianceScaling");
            c.put("scale", v.scale())
                    .put("mode", v.mode().name().toLowerCase(java.util.Locale.ROOT))
                    // TensorFlow.js's 'normal' is the truncated normal; it knows no 'untruncated_normal'.
                    .put("distribution", v.distribution() == Initializer.Distribution.UNIFORM ? "uniform" : "normal")
                    .putNull("seed");
        }
        o.set("config", c);
        return o;
    }

    /** Regularizers as TensorFlow.js's L1L2 and constraints by their Keras class names; null where none. */
    static void rules(ObjectNode c, WeightRules r, String kernel) {
        c.set(kernel + "_regularizer", regularizer(r.kernelRegularizer()));
        if (!kernel.equals("embeddings")) {
            c.set("recurrent_regularizer", regularizer(r.recurrentRegularizer()));
            c.set("bias_regularizer", regularizer(r.biasRegularizer()));
        }
        c.set("activity_regularizer", regularizer(r.activityRegularizer()));
        c.set(kernel + "_constraint", constraint(r.kernelConstraint()));
        if (!kernel.equals("embeddings")) {
            c.set("recurrent_constraint", constraint(r.recurrentConstraint()));
            c.set("bias_constraint", constraint(r.biasConstraint()));
        }
    }

    static JsonNode regularizer(Regularizer r) {
        if (r == null) {
            return MAPPER.getNodeFactory().nullNode();
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("class_name", "L1L2");
        o.putObject("config").put("l1", r.l1()).put("l2", r.l2());
        return o;
    }

    static JsonNode constraint(Constraint c) {
        if (c == null) {
            return MAPPER.getNodeFactory().nullNode();
        }
        ObjectNode o = MAPPER.createObjectNode();
        ObjectNode cfg = MAPPER.createObjectNode();
        if (c instanceof Constraint.MaxNorm m) {
            o.put("class_name", "MaxNorm");
            cfg.put("max_value", m.maxValue());
            axis(cfg, m.axes());
        } else if (c instanceof Constraint.NonNeg) {
            o.put("class_name", "NonNeg");
        } else if (c instanceof Constraint.UnitNorm u) {
            o.put("class_name", "UnitNorm");
            axis(cfg, u.axes());
        } else if (c instanceof Constraint.MinMaxNorm m) {
            o.put("class_name", "MinMaxNorm");
            cfg.put("min_value", m.minValue()).put("max_value", m.maxValue()).put("rate", m.rate());
            axis(cfg, m.axes());
        }
        o.set("config", cfg);
        return o;
    }

    private static void axis(ObjectNode cfg, List<Integer> axes) {
        if (axes.size() == 1) {
            cfg.put("axis", axes.get(0));
        } else {
            axes.forEach(cfg.putArray("axis")::add);
        }
    }

    static ObjectNode layer(LayerSpec spec) {
        ObjectNode layer = MAPPER.createObjectNode();
        ObjectNode c = MAPPER.createObjectNode();
        String cls = spec.accept(new LayerVisitor<String>() {
            private String recurrent(RecurrentSpec r) {
                c.put("units", r.units());
                c.put("activation", activation(r.options().activation()));
                if (!(r instanceof SimpleRnnSpec)) {
                    c.put("recurrent_activation", activation(r.options().recurrentActivation()));
                }
                c.put("use_bias", r.options().useBias());
                c.set("kernel_initializer", initializer(r.options().kernelInitializer()));
                c.set("recurrent_initializer", initializer(r.options().recurrentInitializer()));
                c.set("bias_initializer", initializer(r.options().biasInitializer()));
                c.put("dropout", r.options().dropout());
                c.put("recurrent_dropout", r.options().recurrentDropout());
                c.put("return_sequences", r.options().returnSequences());
                c.put("return_state", false);
                c.put("go_backwards", r.options().goBackwards());
                c.put("stateful", false);
                c.put("unroll", r.options().unroll());
                rules(c, r.options().rules(), "kernel");
                return r.typeName();
            }

            @Override
            public String visit(SimpleRnnSpec l) {
                return recurrent(l);
            }

            @Override
            public String visit(LstmSpec l) {
                c.put("unit_forget_bias", l.unitForgetBias());
                return recurrent(l);
            }

            @Override
            public String visit(GruSpec l) {
                c.put("reset_after", l.resetAfter());
                return recurrent(l);
            }

            @Override
            public String visit(EmbeddingSpec l) {
                c.put("input_dim", l.inputDim());
                c.put("output_dim", l.outputDim());
                c.set("embeddings_initializer", initializer(l.embeddingsInitializer()));
                c.put("mask_zero", l.maskZero());
                rules(c, l.rules(), "embeddings");
                return "Embedding";
            }

            @Override
            public String visit(DenseSpec l) {
                c.put("units", l.units());
                c.put("activation", activation(l.activation()));
                c.put("use_bias", l.useBias());
                c.set("kernel_initializer", initializer(l.kernelInitializer()));
                c.set("bias_initializer", initializer(l.biasInitializer()));
                rules(c, l.rules(), "kernel");
                return "Dense";
            }

            @Override
            public String visit(DropoutSpec l) {
                c.put("rate", l.rate());
                return "Dropout";
            }

            @Override
            public String visit(BatchNormalizationSpec l) {
                c.put("axis", -1);
                c.put("momentum", l.momentum());
                c.put("epsilon", l.epsilon());
                c.put("center", l.center());
                c.put("scale", l.scale());
                c.set("beta_initializer", initializer(new Initializer.Zeros()));
                c.set("gamma_initializer", initializer(new Initializer.Ones()));
                c.set("moving_mean_initializer", initializer(new Initializer.Zeros()));
                c.set("moving_variance_initializer", initializer(new Initializer.Ones()));
                return "BatchNormalization";
            }

            @Override
            public String visit(BidirectionalSpec l) {
                c.put("merge_mode", l.mergeMode().jsonName());
                c.set("layer", layer(l.layer().withName(l.innerName())));
                return "Bidirectional";
            }

            @Override
            public String visit(TimeDistributedSpec l) {
                LayerSpec inner = l.layer();
                c.set("layer", layer(inner.name() == null ? inner.withName(inner.defaultNamePrefix()) : inner));
                return "TimeDistributed";
            }

            @Override
            public String visit(MaskingSpec l) {
                c.put("mask_value", l.maskValue());
                return "Masking";
            }

            @Override
            public String visit(Conv1DSpec l) {
                c.put("filters", l.filters());
                c.putArray("kernel_size").add(l.kernelSize());
                c.putArray("strides").add(l.strides());
                c.put("padding", l.padding().jsonName());
                c.put("data_format", "channels_last");
                c.putArray("dilation_rate").add(l.dilationRate());
                c.put("activation", activation(l.activation()));
                c.put("use_bias", l.useBias());
                c.set("kernel_initializer", initializer(l.kernelInitializer()));
                c.set("bias_initializer", initializer(l.biasInitializer()));
                rules(c, l.rules(), "kernel");
                return "Conv1D";
            }

            @Override
            public String visit(Pooling1DSpec l) {
                c.putArray("pool_size").add(l.poolSize());
                c.putArray("strides").add(l.strides());
                c.put("padding", l.padding().jsonName());
                return l.typeName();
            }

            @Override
            public String visit(GlobalPooling1DSpec l) {
                // TensorFlow.js has no keepdims; it is written only when set.
                if (l.keepdims()) {
                    c.put("keepdims", true);
                }
                return l.typeName();
            }

            @Override
            public String visit(LayerNormalizationSpec l) {
                c.put("axis", -1);
                c.put("epsilon", l.epsilon());
                c.put("center", l.center());
                c.put("scale", l.scale());
                c.set("beta_initializer", initializer(new Initializer.Zeros()));
                c.set("gamma_initializer", initializer(new Initializer.Ones()));
                return "LayerNormalization";
            }

            @Override
            public String visit(FlattenSpec l) {
                return "Flatten";
            }

            @Override
            public String visit(RepeatVectorSpec l) {
                c.put("n", l.n());
                return "RepeatVector";
            }

            @Override
            public String visit(ActivationSpec l) {
                c.put("activation", activation(l.activation()));
                return "Activation";
            }
        });
        if (spec.name() != null) {
            c.put("name", spec.name());
        }
        c.put("trainable", true);
        layer.put("class_name", cls);
        layer.set("config", c);
        return layer;
    }
}
