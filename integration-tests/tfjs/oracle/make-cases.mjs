// Reference cases made with TensorFlow.js 4.22 (pure-JS CPU backend): forward outputs of the layers
// next to RNNs (Masking, Conv1D valid/same/strided/dilated, pooling, LayerNormalization, Flatten,
// RepeatVector, Activation, TimeDistributed around them) and training steps through them, the
// losses TensorFlow.js has (and the cross-entropies with logits, label smoothing and Huber's delta,
// written with tfjs-core's own loss ops), Adagrad, Adamax, and L1/L2 weight regularizers through
// TensorFlow.js's own regularizer losses. Conv1D 'causal', which TensorFlow.js cannot run, is
// computed as Keras computes it: a 'valid' convolution over the input with dilation*(kernel-1)
// zero steps prepended; the written model.json says 'causal'.
//
// Run from the repository root (installs nothing; run 'npm ci' in integration-tests/tfjs first):
//   node integration-tests/tfjs/oracle/make-cases.mjs
import path from 'node:path';
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import {uniform, size, writeJson, tensorJson, f32bytes, addToIndex, SEED} from './common.mjs';

await tf.setBackend('cpu');

const ROOT = path.resolve('api/src/test/resources/oracle');

/** Sets every weight of the model from the case's seeded stream (LayerNormalization gamma around 1). */
function setWeights(model, caseName) {
  const values = model.weights.map(w => {
    const n = size(w.shape);
    const [lo, hi] = w.name.endsWith('gamma') ? [0.5, 1.5] : [-0.5, 0.5];
    return tf.tensor(uniform(caseName, w.name, n, lo, hi), w.shape);
  });
  model.setWeights(values);
}

/** The model's files as TensorFlow.js saves them; {@code patch} may edit the topology (causal padding). */
async function saveModel(model, dir, patch) {
  fs.mkdirSync(dir, {recursive: true});
  let artifacts;
  await model.save(tf.io.withSaveHandler(async a => { artifacts = a; return {modelArtifactsInfo: {}}; }));
  const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
  if (patch) patch(topology);
  const json = {
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers v4.22.0 (integration-tests/tfjs/oracle/make-cases.mjs)',
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [{paths: ['weights.bin'], weights: artifacts.weightSpecs}],
  };
  writeJson(path.join(dir, 'model.json'), json);
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(artifacts.weightData));
  writeJson(path.join(dir, 'weights.json'), Object.fromEntries(model.weights.map(w => [w.name, {shape: w.shape, data: Array.from(w.read().dataSync())}])));
}

/** Inputs in [-1, 1); {@code zeroSteps} lists [sample, step] pairs set to zero (masked steps). */
function input(caseName, shape, zeroSteps = []) {
  const data = uniform(caseName, 'input', size(shape), -1, 1);
  const f = shape[2];
  for (const [b, t] of zeroSteps) for (let i = 0; i < f; i++) data[(b * shape[1] + t) * f + i] = 0;
  return data;
}

// ------------------------------------------------------------------ forward cases

/** tfl.layers with Keras's automatic names (dense, dense_1, conv1d, ...), counted per model by {@link fresh}. */
let counters = {};
const KERAS_NAMES = {simpleRNN: 'simple_rnn', lstm: 'lstm', gru: 'gru', dense: 'dense', masking: 'masking', conv1d: 'conv1d',
  maxPooling1d: 'max_pooling1d', averagePooling1d: 'average_pooling1d', globalAveragePooling1d: 'global_average_pooling1d',
  globalMaxPooling1d: 'global_max_pooling1d', layerNormalization: 'layer_normalization', flatten: 'flatten',
  repeatVector: 'repeat_vector', activation: 'activation', timeDistributed: 'time_distributed'};
const L = new Proxy(tfl.layers, {
  get(target, key) {
    const prefix = KERAS_NAMES[key];
    if (!prefix) return target[key];
    return (args = {}) => {
      const n = counters[prefix] = (counters[prefix] ?? -1) + 1;
      return target[key]({name: n === 0 ? prefix : prefix + '_' + n, ...args});
    };
  },
});
function fresh() {
  counters = {};
}
// Every weight is set from the seeded stream; the orthogonal initializer of Node's CommonJS build
// calls tensor methods it never registers, so the recurrent layers are built with another one.
const RI = 'glorotUniform';
const FORWARD = [
  {name: 'masking_lstm', desc: 'Masking(0) -> LSTM(5, sigmoid gates) -> Dense(2); zero steps at the end, the start and the middle',
    shape: [4, 7, 3], zeros: [[0, 5], [0, 6], [1, 0], [1, 1], [2, 3]],
    build: s => [L.masking({maskValue: 0, batchInputShape: [null, ...s]}), L.lstm({recurrentInitializer: RI, units: 5, recurrentActivation: 'sigmoid'}), L.dense({units: 2})]},
  {name: 'conv1d_valid_pool', desc: 'Conv1D(4, 3, relu, valid) -> MaxPooling1D(2) -> GlobalAveragePooling1D -> Dense(1)',
    shape: [4, 12, 2],
    build: s => [L.conv1d({filters: 4, kernelSize: 3, activation: 'relu', batchInputShape: [null, ...s]}), L.maxPooling1d({poolSize: 2}),
      L.globalAveragePooling1d(), L.dense({units: 1})]},
  {name: 'conv1d_same_strides', desc: 'Conv1D(5, 4, strides 2, same, tanh) -> AveragePooling1D(3, strides 2, same) -> Flatten -> Dense(2)',
    shape: [4, 11, 3],
    build: s => [L.conv1d({filters: 5, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', batchInputShape: [null, ...s]}),
      L.averagePooling1d({poolSize: 3, strides: 2, padding: 'same'}), L.flatten(), L.dense({units: 2})]},
  {name: 'conv1d_dilated_maxpool_same', desc: 'Conv1D(3, 3, dilation 2, valid) -> MaxPooling1D(3, strides 2, same) -> GlobalMaxPooling1D -> Dense(1)',
    shape: [4, 13, 2],
    build: s => [L.conv1d({filters: 3, kernelSize: 3, dilationRate: 2, batchInputShape: [null, ...s]}),
      L.maxPooling1d({poolSize: 3, strides: 2, padding: 'same'}), L.globalMaxPooling1d(), L.dense({units: 1})]},
  {name: 'conv1d_causal_lstm', desc: "Conv1D(4, 3, dilation 2, causal, tanh) -> LSTM(3, sigmoid gates) -> Dense(1); TensorFlow.js ran it as 'valid' over the input with 4 zero steps prepended",
    shape: [4, 9, 2], causalPad: 4,
    build: s => [L.conv1d({filters: 4, kernelSize: 3, dilationRate: 2, activation: 'tanh', batchInputShape: [null, ...s]}),
      L.lstm({recurrentInitializer: RI, units: 3, recurrentActivation: 'sigmoid'}), L.dense({units: 1})]},
  {name: 'layer_norm_dense', desc: 'Dense(6) -> LayerNormalization -> Dense(2)', shape: [4, 5],
    build: s => [L.dense({units: 6, batchInputShape: [null, ...s]}), L.layerNormalization(), L.dense({units: 2})]},
  {name: 'lstm_layer_norm_seq', desc: 'LSTM(4, return_sequences, sigmoid gates) -> LayerNormalization -> TimeDistributed(Dense(2))', shape: [4, 6, 3],
    build: s => [L.lstm({recurrentInitializer: RI, units: 4, returnSequences: true, recurrentActivation: 'sigmoid', batchInputShape: [null, ...s]}), L.layerNormalization(),
      L.timeDistributed({layer: L.dense({units: 2})})]},
  {name: 'repeat_vector_gru', desc: 'Dense(3) -> RepeatVector(6) -> GRU(4, reset_after=false, rs, sigmoid gates) -> TimeDistributed(Dense(2))', shape: [4, 5],
    build: s => [L.dense({units: 3, batchInputShape: [null, ...s]}), L.repeatVector({n: 6}),
      L.gru({recurrentInitializer: RI, units: 4, resetAfter: false, returnSequences: true, recurrentActivation: 'sigmoid'}), L.timeDistributed({layer: L.dense({units: 2})})]},
  {name: 'activation_layers', desc: 'Dense(4) -> Activation(tanh) -> Dense(3) -> Activation(softmax)', shape: [4, 6],
    build: s => [L.dense({units: 4, batchInputShape: [null, ...s]}), L.activation({activation: 'tanh'}), L.dense({units: 3}),
      L.activation({activation: 'softmax'})]},
  {name: 'time_distributed_layers', desc: 'SimpleRNN(4, rs) -> TimeDistributed(Dense(3)) -> TimeDistributed(LayerNormalization) -> TimeDistributed(Activation(softmax))',
    shape: [4, 5, 2],
    build: s => [L.simpleRNN({recurrentInitializer: RI, units: 4, returnSequences: true, batchInputShape: [null, ...s]}), L.timeDistributed({layer: L.dense({units: 3})}),
      L.timeDistributed({layer: L.layerNormalization()}), L.timeDistributed({layer: L.activation({activation: 'softmax'})})]},
];

function buildModel(c) {
  fresh();
  const shape = c.causalPad ? [c.shape[1] + c.causalPad, c.shape[2]] : c.shape.slice(1);
  const model = tfl.sequential({name: c.name, layers: c.build(shape)});
  setWeights(model, c.name);
  return model;
}

/** The case's input as the TensorFlow.js model reads it (causal: the zero steps prepended). */
function modelInput(c, data) {
  const x = tf.tensor(data, c.shape);
  return c.causalPad ? tf.pad(x, [[0, 0], [c.causalPad, 0], [0, 0]]) : x;
}

/** The written topology says what Keras would: causal padding over the unpadded length. */
function causalPatch(c) {
  if (!c.causalPad) return null;
  return topology => {
    const conv = topology.config.layers[0].config;
    conv.padding = 'causal';
    conv.batch_input_shape = [null, ...c.shape.slice(1)];
  };
}

const forwardNames = [];
for (const c of FORWARD) {
  const model = buildModel(c);
  const data = input(c.name, c.shape, c.zeros);
  const y = model.predict(modelInput(c, data));
  const dir = path.join(ROOT, 'cases', c.name);
  fs.rmSync(dir, {recursive: true, force: true});
  await saveModel(model, dir, causalPatch(c));
  writeJson(path.join(dir, 'input.json'), tensorJson(c.shape, data));
  writeJson(path.join(dir, 'expected.json'), {shape: y.shape, data: Array.from(await y.data())});
  writeJson(path.join(dir, 'meta.json'), {name: c.name, description: c.desc, source: 'tfjs-layers 4.22.0', seed: SEED,
    generator: 'integration-tests/tfjs/oracle/make-cases.mjs', tfjsLoadable: !c.causalPad});
  forwardNames.push(c.name);
}
addToIndex(path.join(ROOT, 'cases', 'index.txt'), forwardNames);

// ------------------------------------------------------------------ training cases

const mean = t => tf.mean(t, -1);
/** Per-sample losses written with tfjs-core's losses (Reduction.NONE) where TensorFlow.js layers has no name for them. */
const NONE = tf.Reduction.NONE;
const CUSTOM = {
  bce_logits: (y, p) => mean(tf.losses.sigmoidCrossEntropy(y, p, undefined, 0, NONE)),
  bce_logits_smoothing: (y, p) => mean(tf.losses.sigmoidCrossEntropy(y, p, undefined, 0.1, NONE)),
  bce_smoothing: (y, p) => {
    const s = tf.add(tf.mul(y, 0.9), 0.05);
    const q = tf.clipByValue(p, 1e-7, 1 - 1e-7);
    return tf.neg(mean(tf.add(tf.mul(s, tf.log(q)), tf.mul(tf.sub(1, s), tf.log(tf.sub(1, q))))));
  },
  cce_logits_smoothing: (y, p) => tf.losses.softmaxCrossEntropy(y, p, undefined, 0.1, NONE),
  scce_logits: (y, p) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(y, 'int32'), p.shape[1]), p, undefined, 0, NONE),
  huber_delta: (y, p) => mean(tf.losses.huberLoss(y, p, undefined, 0.5, NONE)),
};

/** A small dense head for the loss cases: Dense(4, tanh) -> Dense(3, act). */
const head = act => s => [L.dense({units: 4, activation: 'tanh', batchInputShape: [null, ...s]}), L.dense({units: 3, activation: act})];

const TRAIN = [
  // Layers, one SGD step (the gradient through each new op on both engines).
  {base: 'conv1d_valid_pool', opt: 'sgd'},
  // TensorFlow.js 4.22's pooling gradients disagree with its own finite differences for 'same'
  // average pooling (by up to 0.15) and for overlapping or 'same' max pooling (up to 0.5); its
  // forward values are right (the forward cases above). The training cases keep pooling windows
  // 'valid' and apart, and BackendConformanceTest checks the other pooling gradients against finite
  // differences of the forward pass on both engines.
  {name: 'conv1d_same_strides_avgpool__sgd', opt: 'sgd', spec: {name: 'conv1d_same_strides_avgpool', shape: [4, 11, 3],
    desc: 'Conv1D(5, 4, strides 2, same, tanh) -> AveragePooling1D(2) -> Flatten -> Dense(2)',
    build: s => [L.conv1d({filters: 5, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', batchInputShape: [null, ...s]}),
      L.averagePooling1d({poolSize: 2}), L.flatten(), L.dense({units: 2})]}},
  // TensorFlow.js has no gradient for dilated convolutions: the training cases use dilation 1 (the
  // forward cases above check dilation; the gradient path is the same slices at other offsets).
  {name: 'conv1d_causal_maxpool__sgd', opt: 'sgd', spec: {name: 'conv1d_causal_maxpool', shape: [4, 9, 2], causalPad: 2,
    desc: 'Conv1D(4, 3, causal, tanh) -> MaxPooling1D(2) -> GlobalMaxPooling1D -> Dense(1)',
    build: s => [L.conv1d({filters: 4, kernelSize: 3, activation: 'tanh', batchInputShape: [null, ...s]}),
      L.maxPooling1d({poolSize: 2}), L.globalMaxPooling1d(), L.dense({units: 1})]}},
  {base: 'masking_lstm', opt: 'sgd'},
  {base: 'layer_norm_dense', opt: 'sgd'},
  {base: 'lstm_layer_norm_seq', opt: 'sgd'},
  {base: 'repeat_vector_gru', opt: 'sgd'},
  {base: 'time_distributed_layers', opt: 'sgd', loss: 'categorical_crossentropy', targets: 'onehot'},
  // Optimizers TensorFlow.js has in Keras's form, three steps.
  {name: 'head__adagrad', model: head('linear'), shape: [6, 5], opt: 'adagrad', steps: 3},
  {name: 'head__adamax', model: head('linear'), shape: [6, 5], opt: 'adamax', steps: 3},
  // L1/L2 through TensorFlow.js's own regularizer losses.
  {name: 'head_l1l2__sgd', shape: [6, 5], opt: 'sgd', model: s => [
    L.dense({units: 4, activation: 'tanh', batchInputShape: [null, ...s], kernelRegularizer: tfl.regularizers.l1l2({l1: 0.01, l2: 0.02}),
      biasRegularizer: tfl.regularizers.l2({l2: 0.05})}),
    L.dense({units: 3, kernelRegularizer: tfl.regularizers.l1({l1: 0.03})})]},
  // Losses, one SGD step: name in TensorFlow.js (or a tfjs-core function), rnn4j's loss block, output activation, targets.
  {name: 'head_msle__sgd', model: head('softplus'), shape: [6, 5], tfjsLoss: 'meanSquaredLogarithmicError', loss: 'msle', targets: 'positive'},
  // Targets away from 0: MAPE divides by them, which would magnify float32 rounding past the tolerance.
  {name: 'head_mape__sgd', model: head('linear'), shape: [6, 5], tfjsLoss: 'meanAbsolutePercentageError', loss: 'mape', targets: 'positive'},
  {name: 'head_log_cosh__sgd', model: head('linear'), shape: [6, 5], tfjsLoss: 'logcosh', loss: 'log_cosh'},
  {name: 'head_kl_divergence__sgd', model: head('softmax'), shape: [6, 5], tfjsLoss: 'kullbackLeiblerDivergence', loss: 'kl_divergence', targets: 'distribution'},
  {name: 'head_poisson__sgd', model: head('softplus'), shape: [6, 5], tfjsLoss: 'poisson', loss: 'poisson', targets: 'positive'},
  {name: 'head_hinge__sgd', model: head('tanh'), shape: [6, 5], tfjsLoss: 'hinge', loss: 'hinge', targets: 'signs'},
  {name: 'head_squared_hinge__sgd', model: head('tanh'), shape: [6, 5], tfjsLoss: 'squaredHinge', loss: 'squared_hinge', targets: 'signs'},
  {name: 'head_categorical_hinge__sgd', model: head('linear'), shape: [6, 5], tfjsLoss: 'categoricalHinge', loss: 'categorical_hinge', targets: 'onehot'},
  {name: 'head_cosine_similarity__sgd', model: head('linear'), shape: [6, 5], tfjsLoss: 'cosineProximity', loss: 'cosine_similarity'},
  {name: 'head_bce_logits__sgd', model: head('linear'), shape: [6, 5], custom: 'bce_logits', loss: {type: 'binary_crossentropy', from_logits: true}, targets: 'binary'},
  {name: 'head_bce_logits_smoothing__sgd', model: head('linear'), shape: [6, 5], custom: 'bce_logits_smoothing',
    loss: {type: 'binary_crossentropy', from_logits: true, label_smoothing: 0.1}, targets: 'binary'},
  {name: 'head_bce_smoothing__sgd', model: head('sigmoid'), shape: [6, 5], custom: 'bce_smoothing',
    loss: {type: 'binary_crossentropy', label_smoothing: 0.1}, targets: 'binary'},
  {name: 'head_cce_logits_smoothing__sgd', model: head('linear'), shape: [6, 5], custom: 'cce_logits_smoothing',
    loss: {type: 'categorical_crossentropy', from_logits: true, label_smoothing: 0.1}, targets: 'onehot'},
  {name: 'head_scce_logits__sgd', model: head('linear'), shape: [6, 5], custom: 'scce_logits',
    loss: {type: 'sparse_categorical_crossentropy', from_logits: true}, targets: 'ids'},
  {name: 'head_huber_delta__sgd', model: head('linear'), shape: [6, 5], custom: 'huber_delta', loss: {type: 'huber', delta: 0.5}},
  // Added last, so that the cases above keep their TensorFlow.js weight names (and seeded values).
  // The recurrent kernel's and a recurrent layer's bias regularizers, on an LSTM and a GRU.
  {name: 'rnn_regularized__sgd', shape: [4, 5, 3], opt: 'sgd', model: s => [
    L.lstm({recurrentInitializer: RI, units: 3, returnSequences: true, recurrentActivation: 'sigmoid', batchInputShape: [null, ...s],
      recurrentRegularizer: tfl.regularizers.l2({l2: 0.05}), biasRegularizer: tfl.regularizers.l1({l1: 0.02})}),
    L.gru({recurrentInitializer: RI, units: 2, resetAfter: false, recurrentActivation: 'sigmoid',
      kernelRegularizer: tfl.regularizers.l2({l2: 0.03}), recurrentRegularizer: tfl.regularizers.l1l2({l1: 0.01, l2: 0.04})})]},
];

/** Targets of the output's shape (class ids [batch] for 'ids'). */
function targets(kind, name, outShape) {
  const n = size(outShape);
  const u = uniform(name, 'target', n, 0, 1);
  const rows = outShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const classes = outShape[outShape.length - 1];
  switch (kind) {
    case 'positive': return {data: u.map(v => Math.fround(0.1 + 2 * v)), shape: outShape};
    case 'signs': return {data: u.map(v => (v < 0.5 ? -1 : 1)), shape: outShape};
    case 'binary': return {data: u.map(v => (v < 0.5 ? 0 : 1)), shape: outShape};
    case 'onehot': {
      const data = new Array(n).fill(0);
      for (let r = 0; r < rows; r++) data[r * classes + Math.floor(u[r * classes] * classes)] = 1;
      return {data, shape: outShape};
    }
    case 'ids': return {data: Array.from({length: rows}, (_, r) => Math.floor(u[r] * classes)), shape: outShape.slice(0, -1), dtype: 'int32'};
    case 'distribution': {
      const data = u.map(v => 0.05 + v);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let c = 0; c < classes; c++) s += data[r * classes + c];
        for (let c = 0; c < classes; c++) data[r * classes + c] = Math.fround(data[r * classes + c] / s);
      }
      return {data, shape: outShape};
    }
    default: return {data: uniform(name, 'target', n, -1, 1), shape: outShape};
  }
}

/** The loss function TensorFlow.js layers installs for a loss name: compile a throwaway model with it. */
function tfLoss(name) {
  const m = tfl.sequential({layers: [L.dense({units: 1, inputShape: [1]})]});
  m.compile({loss: name, optimizer: 'sgd'});
  return m.model.lossFunctions[0];
}

const OPTIMIZERS = {
  sgd: {tfjs: () => tf.train.sgd(0.1), rnn4j: {type: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false}, steps: 1},
  adagrad: {tfjs: () => tf.train.adagrad(0.05, 0.1), rnn4j: {type: 'adagrad', learning_rate: 0.05, initial_accumulator_value: 0.1, epsilon: 1e-7}, steps: 3},
  adamax: {tfjs: () => tf.train.adamax(0.02, 0.9, 0.999, 1e-7), rnn4j: {type: 'adamax', learning_rate: 0.02, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7}, steps: 3},
};

const trainNames = [];
for (const c of TRAIN) {
  const forward = c.base ? FORWARD.find(f => f.name === c.base) : c.spec ?? null;
  const name = c.name ?? `${c.base}__${c.opt}`;
  const opt = OPTIMIZERS[c.opt ?? 'sgd'];
  const steps = c.steps ?? opt.steps;
  const spec = forward ?? {name, shape: c.shape, build: c.model};
  const seedName = forward ? forward.name : name;
  fresh();
  const model = tfl.sequential({name: seedName, layers: spec.build(spec.causalPad ? [spec.shape[1] + spec.causalPad, spec.shape[2]] : spec.shape.slice(1))});
  setWeights(model, seedName);
  const data = forward ? input(forward.name, forward.shape, forward.zeros) : uniform(name, 'input', size(c.shape), -1, 1);
  const x = forward ? modelInput(forward, data) : tf.tensor(data, c.shape);
  const outShape = model.outputs[0].shape.map((d, i) => (i === 0 ? spec.shape[0] : d));
  const t = targets(c.targets, name, outShape);
  const y = tf.tensor(t.data, t.shape, t.dtype === 'int32' ? 'int32' : 'float32');
  const fn = c.custom ? CUSTOM[c.custom] : tfLoss(c.tfjsLoss ?? (c.loss === 'categorical_crossentropy' ? 'categoricalCrossentropy' : 'meanSquaredError'));
  const total = () => {
    let l = tf.mean(fn(y, model.apply(x, {training: true})));
    for (const r of model.calculateLosses()) l = tf.add(l, r);
    // TensorFlow.js 4.22 leaves a recurrent layer's weight regularizers out of
    // model.calculateLosses(): they are registered on the layer's cell, which owns the weights.
    // Collect them there (still TensorFlow.js's own regularizer losses), as Keras counts them.
    for (const layer of model.layers) {
      if (layer.cell) for (const r of layer.cell.calculateLosses()) l = tf.add(l, r);
    }
    return l;
  };
  const dir = path.join(ROOT, 'train_cases', name);
  fs.rmSync(dir, {recursive: true, force: true});
  await saveModel(model, dir, forward ? causalPatch(forward) : null);
  const optimizer = opt.tfjs();
  const vars = model.trainableWeights.map(w => w.read());
  const losses = [];
  for (let s = 0; s <= steps; s++) {
    if (s === steps) { losses.push((await total().data())[0]); break; }
    const {value, grads} = tf.variableGrads(total, vars);
    losses.push((await value.data())[0]);
    optimizer.applyGradients(grads);
  }
  writeJson(path.join(dir, 'input.json'), tensorJson(forward ? forward.shape : c.shape, data));
  writeJson(path.join(dir, 'target.json'), tensorJson(t.shape, t.data, t.dtype ?? 'float32'));
  writeJson(path.join(dir, 'train.json'), {
    rnn4j_compile: {loss: c.loss ?? 'mean_squared_error', optimizer: opt.rnn4j, metrics: []},
    steps, batch_size: spec.shape[0], shuffle: false,
    reference: 'TensorFlow.js 4.22 (integration-tests/tfjs/oracle/make-cases.mjs): tf.variableGrads of mean(loss(y, model.apply(x, {training: true}))) + model.calculateLosses(), ' +
      'then the TensorFlow.js optimizer ' + (c.opt ?? 'sgd') + '; loss ' + (c.custom ? 'from tfjs-core losses (' + c.custom + ')' : (c.tfjsLoss ?? 'meanSquaredError')),
  });
  writeJson(path.join(dir, 'losses.json'), {losses, note: 'losses[k] = total loss (with regularization) at the weights after k steps'});
  const after = model.weights.flatMap(w => Array.from(w.read().dataSync()));
  fs.writeFileSync(path.join(dir, 'weights_after.bin'), f32bytes(after));
  writeJson(path.join(dir, 'meta.json'), {name, description: (forward ? forward.desc : 'Dense(4, tanh) -> Dense(3)') + '; ' + steps + ' ' + (c.opt ?? 'sgd') + ' step(s)',
    generator: 'integration-tests/tfjs/oracle/make-cases.mjs', seed: SEED});
  trainNames.push(name);
}
addToIndex(path.join(ROOT, 'train_cases', 'index.txt'), trainNames);
console.log('wrote ' + forwardNames.length + ' forward and ' + trainNames.length + ' training cases');
