package org.rnn4j.api.layers;

/** One method per layer type: the exhaustive dispatch every backend and serializer uses. */
public interface LayerVisitor<R> {
    R visit(SimpleRnnSpec layer);

    R visit(LstmSpec layer);

    R visit(GruSpec layer);

    R visit(EmbeddingSpec layer);

    R visit(DenseSpec layer);

    R visit(DropoutSpec layer);

    R visit(BatchNormalizationSpec layer);

    R visit(BidirectionalSpec layer);

    R visit(TimeDistributedSpec layer);

    R visit(MaskingSpec layer);

    R visit(Conv1DSpec layer);

    R visit(Pooling1DSpec layer);

    R visit(GlobalPooling1DSpec layer);

    R visit(LayerNormalizationSpec layer);

    R visit(FlattenSpec layer);

    R visit(RepeatVectorSpec layer);

    R visit(ActivationSpec layer);
}
