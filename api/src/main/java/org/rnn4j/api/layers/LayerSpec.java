package org.rnn4j.api.layers;

import java.util.regex.Pattern;

/**
 * A backend-neutral description of one layer: its configuration only, never weights or engine
 * state. The set of layer types is closed: adding one breaks every {@link LayerVisitor}, so a
 * backend (or serializer) that forgot it does not compile.
 */
public sealed interface LayerSpec
        permits RecurrentSpec,
                EmbeddingSpec,
                DenseSpec,
                DropoutSpec,
                BatchNormalizationSpec,
                BidirectionalSpec,
                TimeDistributedSpec,
                MaskingSpec,
                Conv1DSpec,
                Pooling1DSpec,
                GlobalPooling1DSpec,
                LayerNormalizationSpec,
                FlattenSpec,
                RepeatVectorSpec,
                ActivationSpec {

    /** The layer's name, or {@code null} to let the model assign a Keras-style one ({@code lstm}, {@code lstm_1}, ...). */
    String name();

    /** The same layer under another name. */
    LayerSpec withName(String name);

    /** The type name used in rnn4j spec files and Keras ({@code "LSTM"}, {@code "Dense"}, ...). */
    String typeName();

    /** The Keras-style prefix for automatic names ({@code "lstm"}, {@code "simple_rnn"}). */
    String defaultNamePrefix();

    <R> R accept(LayerVisitor<R> visitor);

    /** Layer names end up in weight names ({@code <layer>/kernel}) and file paths. */
    Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]{0,127}");

    static String checkName(String name) {
        if (name != null && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("layer name '" + name
                    + "' is invalid: use a letter followed by up to 127 letters, digits, '_', '.' or '-'");
        }
        return name;
    }

    static int checkPositive(String field, long value) {
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " must be a positive int, got " + value);
        }
        return (int) value;
    }
}
