package org.rnn4j.bench.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.rnn4j.bench.SyntheticData;
import org.rnn4j.bench.Workload;

/**
 * The workloads' networks as DL4J {@code MultiLayerNetwork}s, float32, NCW, Adam with Keras's
 * hyper-parameters (lr 0.001, betas 0.9/0.999, epsilon 1e-7), DL4J's default Xavier init.
 */
final class Dl4jBaselineNets {
    private Dl4jBaselineNets() {}

    static MultiLayerNetwork create(Workload w, Workload.Sizes s) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(SyntheticData.SEED)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.001, 0.9, 0.999, 1e-7))
                .list();
        MultiLayerConfiguration conf = switch (w) {
            case W1 ->
                list.layer(new LastTimeStep(new SimpleRnn.Builder()
                                .nIn(1)
                                .nOut(s.units())
                                .activation(Activation.TANH)
                                .dataFormat(RNNFormat.NCW)
                                .build()))
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(s.units())
                                .nOut(1)
                                .activation(Activation.IDENTITY)
                                .build())
                        .setInputType(InputType.recurrent(1, s.steps(), RNNFormat.NCW))
                        .build();
            case W1B ->
                list.layer(lstm(1, s.units()))
                        .layer(new LastTimeStep(lstm(s.units(), s.units())))
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                                .nIn(s.units())
                                .nOut(1)
                                .activation(Activation.IDENTITY)
                                .build())
                        .setInputType(InputType.recurrent(1, s.steps(), RNNFormat.NCW))
                        .build();
            case W2 ->
                list.layer(new EmbeddingSequenceLayer.Builder()
                                .nIn(s.vocab())
                                .nOut(s.embedding())
                                .inputLength(s.steps())
                                .outputDataFormat(RNNFormat.NCW)
                                .build())
                        .layer(lstm(s.embedding(), s.units()))
                        .layer(new RnnOutputLayer.Builder(new LossSparseMCXENT())
                                .nIn(s.units())
                                .nOut(s.vocab())
                                .activation(Activation.SOFTMAX)
                                .dataFormat(RNNFormat.NCW)
                                .build())
                        .build();
            case P, GEN, MATMUL -> throw new IllegalArgumentException(w.id() + " has no network of its own");
        };
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static LSTM lstm(int in, int units) {
        return new LSTM.Builder()
                .nIn(in)
                .nOut(units)
                .activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID)
                .dataFormat(RNNFormat.NCW)
                .build();
    }
}
