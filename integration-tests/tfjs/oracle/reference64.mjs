// A float64 re-implementation of Keras 3's training step, written from Keras's documented update
// rules (keras/src/optimizers/*.py update_step, base_optimizer.py apply / _clip_gradients /
// _apply_weight_decay, schedules/learning_rate_schedule.py, regularizers.py, constraints.py), for
// what TensorFlow.js 4.22 lacks: AdamW, Nadam, amsgrad, centered RMSprop, the schedules, gradient
// clipping, weight decay, activity regularizers and constraints. No dependencies.
//
// The model is Dense(4, tanh) -> Dense(2) on 5 samples of 3 features, MSE, one full batch, with
// hand-written backpropagation. Each case trains `steps` steps and writes the training-case files
// of api/src/test/resources/oracle/README.md, which BackendConformanceTest runs on both engines.
//
// Run from the repository root:  node integration-tests/tfjs/oracle/reference64.mjs
import path from 'node:path';
import {uniform, writeModel, writeJson, tensorJson, f32bytes, addToIndex, SEED} from './common.mjs';
import fs from 'node:fs';

const OUT = path.resolve('api/src/test/resources/oracle/train_cases');
const N = 5, F = 3, H = 4, O = 2;
const EPS = 1e-7; // keras.backend.epsilon()

// ------------------------------------------------------------------ the model, in float64

function zeros(n) { return new Array(n).fill(0); }

/** Forward pass: z1 = x.W1 + b1, a1 = tanh(z1), y = a1.W2 + b2. */
function forward(w, x) {
  const a1 = zeros(N * H), y = zeros(N * O);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      let z = w['dense/bias'][j];
      for (let i = 0; i < F; i++) z += x[n * F + i] * w['dense/kernel'][i * H + j];
      a1[n * H + j] = Math.tanh(z);
    }
    for (let k = 0; k < O; k++) {
      let s = w['dense_1/bias'][k];
      for (let j = 0; j < H; j++) s += a1[n * H + j] * w['dense_1/kernel'][j * O + k];
      y[n * O + k] = s;
    }
  }
  return {a1, y};
}

/** l1 * sum|v| + l2 * sum v^2, and its gradient. */
function penalty(reg, v) {
  if (!reg) return {value: 0, grad: zeros(v.length)};
  let value = 0;
  const grad = zeros(v.length);
  v.forEach((x, i) => {
    value += reg.l1 * Math.abs(x) + reg.l2 * x * x;
    grad[i] = reg.l1 * Math.sign(x) + 2 * reg.l2 * x;
  });
  return {value, grad};
}

/**
 * Keras's total loss and its gradients: MSE per sample (the mean over outputs), times the sample's
 * weight when given, summed and divided by the number of samples (sum_over_batch_size); plus the
 * weight penalties and the activity penalty divided by the batch.
 */
function lossAndGrads(w, x, t, regs, sampleWeight) {
  const {a1, y} = forward(w, x);
  let loss = 0;
  const dy = zeros(N * O);
  for (let i = 0; i < N * O; i++) {
    const sw = sampleWeight ? sampleWeight[Math.floor(i / O)] : 1;
    const e = y[i] - t[i];
    loss += sw * e * e / (N * O);
    dy[i] = sw * 2 * e / (N * O);
  }
  const g = {};
  for (const name of Object.keys(w)) g[name] = zeros(w[name].length);
  const da1 = zeros(N * H);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < O; k++) {
      g['dense_1/bias'][k] += dy[n * O + k];
      for (let j = 0; j < H; j++) {
        g['dense_1/kernel'][j * O + k] += a1[n * H + j] * dy[n * O + k];
        da1[n * H + j] += dy[n * O + k] * w['dense_1/kernel'][j * O + k];
      }
    }
  }
  // Activity regularizer on the first layer's output, divided by the batch size (Keras 3).
  const act = penalty(regs.activity, a1);
  loss += act.value / N;
  for (let i = 0; i < N * H; i++) da1[i] += act.grad[i] / N;
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      const dz = da1[n * H + j] * (1 - a1[n * H + j] * a1[n * H + j]);
      g['dense/bias'][j] += dz;
      for (let i = 0; i < F; i++) g['dense/kernel'][i * H + j] += x[n * F + i] * dz;
    }
  }
  for (const [name, reg] of Object.entries(regs.weights || {})) {
    const p = penalty(reg, w[name]);
    loss += p.value;
    p.grad.forEach((d, i) => { g[name][i] += d; });
  }
  return {loss, grads: g};
}

// ------------------------------------------------------------------ schedules

function scheduleAt(s, step) {
  if (!s) return null;
  switch (s.type) {
    case 'exponential_decay': {
      let p = step / s.decay_steps;
      if (s.staircase) p = Math.floor(p);
      return s.initial_learning_rate * Math.pow(s.decay_rate, p);
    }
    case 'inverse_time_decay': {
      let p = step / s.decay_steps;
      if (s.staircase) p = Math.floor(p);
      return s.initial_learning_rate / (1 + s.decay_rate * p);
    }
    case 'piecewise_constant_decay': {
      for (let i = 0; i < s.boundaries.length; i++) if (step <= s.boundaries[i]) return s.values[i];
      return s.values[s.values.length - 1];
    }
    case 'polynomial_decay': {
      let decaySteps = s.decay_steps, st = step;
      if (s.cycle) decaySteps = decaySteps * (st === 0 ? 1 : Math.ceil(st / s.decay_steps));
      else st = Math.min(st, decaySteps);
      const p = st / decaySteps;
      return (s.initial_learning_rate - s.end_learning_rate) * Math.pow(1 - p, s.power) + s.end_learning_rate;
    }
    case 'cosine_decay': {
      const decay = (st, from) => {
        const cosine = 0.5 * (1 + Math.cos(Math.PI * st / s.decay_steps));
        return from * ((1 - s.alpha) * cosine + s.alpha);
      };
      if (s.warmup_target == null) return decay(Math.min(step, s.decay_steps), s.initial_learning_rate);
      const st = Math.min(step, s.decay_steps + s.warmup_steps);
      if (st < s.warmup_steps) {
        return (s.warmup_target - s.initial_learning_rate) * (st / s.warmup_steps) + s.initial_learning_rate;
      }
      return decay(st - s.warmup_steps, s.warmup_target);
    }
  }
  throw new Error('unknown schedule ' + s.type);
}

// ------------------------------------------------------------------ optimizers (Keras 3 update_step)

function makeOptimizer(spec) {
  const slots = {};
  const slot = (kind, name, n, init = 0) => {
    slots[kind] ??= {};
    slots[kind][name] ??= new Array(n).fill(init);
    return slots[kind][name];
  };
  let iterations = 0;
  let uProduct = 1;
  const lrOf = () => typeof spec.learning_rate === 'object' ? scheduleAt(spec.learning_rate, iterations) : spec.learning_rate;

  function clip(grads) {
    const names = Object.keys(grads);
    if (spec.clipnorm > 0) {
      const out = {};
      for (const n of names) {
        const g = grads[n];
        const norm = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
        out[n] = g.map(v => v * spec.clipnorm / Math.max(norm, spec.clipnorm));
      }
      return out;
    }
    if (spec.global_clipnorm > 0) {
      const norm = Math.sqrt(names.reduce((s, n) => s + grads[n].reduce((a, v) => a + v * v, 0), 0));
      const scale = spec.global_clipnorm * Math.min(1 / norm, 1 / spec.global_clipnorm);
      return Object.fromEntries(names.map(n => [n, grads[n].map(v => v * scale)]));
    }
    if (spec.clipvalue > 0) {
      const c = spec.clipvalue;
      return Object.fromEntries(names.map(n => [n, grads[n].map(v => Math.min(Math.max(v, -c), c))]));
    }
    return grads;
  }

  function update(name, w, g, lr) {
    const t = iterations + 1;
    const n = w.length;
    switch (spec.type) {
      case 'sgd': {
        if (!spec.momentum) { for (let i = 0; i < n; i++) w[i] -= g[i] * lr; return; }
        const m = slot('m', name, n);
        for (let i = 0; i < n; i++) {
          m[i] = m[i] * spec.momentum - g[i] * lr;
          w[i] += spec.nesterov ? m[i] * spec.momentum - g[i] * lr : m[i];
        }
        return;
      }
      case 'adam':
      case 'adamw': {
        const m = slot('m', name, n), v = slot('v', name, n), vhat = slot('vhat', name, n);
        const alpha = lr * Math.sqrt(1 - Math.pow(spec.beta_2, t)) / (1 - Math.pow(spec.beta_1, t));
        for (let i = 0; i < n; i++) {
          m[i] += (g[i] - m[i]) * (1 - spec.beta_1);
          v[i] += (g[i] * g[i] - v[i]) * (1 - spec.beta_2);
          let d = v[i];
          if (spec.amsgrad) { vhat[i] = Math.max(vhat[i], v[i]); d = vhat[i]; }
          w[i] -= m[i] * alpha / (Math.sqrt(d) + spec.epsilon);
        }
        return;
      }
      case 'nadam': {
        const b1 = spec.beta_1, b2 = spec.beta_2;
        const uT = b1 * (1 - 0.5 * Math.pow(0.96, t));
        const uT1 = b1 * (1 - 0.5 * Math.pow(0.96, t + 1));
        const uProductT1 = uProduct * uT1;
        const m = slot('m', name, n), v = slot('v', name, n);
        for (let i = 0; i < n; i++) {
          m[i] += (g[i] - m[i]) * (1 - b1);
          v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
          const mHat = uT1 * m[i] / (1 - uProductT1) + (1 - uT) * g[i] / (1 - uProduct);
          const vHat = v[i] / (1 - Math.pow(b2, t));
          w[i] -= mHat * lr / (Math.sqrt(vHat) + spec.epsilon);
        }
        return;
      }
      case 'adagrad': {
        const acc = slot('acc', name, n, spec.initial_accumulator_value);
        for (let i = 0; i < n; i++) {
          acc[i] += g[i] * g[i];
          w[i] -= lr * g[i] / Math.sqrt(acc[i] + spec.epsilon);
        }
        return;
      }
      case 'adamax': {
        const m = slot('m', name, n), u = slot('u', name, n);
        const b1Power = Math.pow(spec.beta_1, t);
        for (let i = 0; i < n; i++) {
          m[i] += (g[i] - m[i]) * (1 - spec.beta_1);
          u[i] = Math.max(spec.beta_2 * u[i], Math.abs(g[i]));
          w[i] -= lr * m[i] / ((1 - b1Power) * (u[i] + spec.epsilon));
        }
        return;
      }
      case 'rmsprop': {
        const vel = slot('vel', name, n), mom = slot('mom', name, n), mg = slot('mg', name, n);
        for (let i = 0; i < n; i++) {
          vel[i] = spec.rho * vel[i] + (1 - spec.rho) * g[i] * g[i];
          let denom;
          if (spec.centered) {
            mg[i] = spec.rho * mg[i] + (1 - spec.rho) * g[i];
            denom = vel[i] - mg[i] * mg[i] + spec.epsilon;
          } else {
            denom = vel[i] + spec.epsilon;
          }
          const inc = lr * g[i] / Math.sqrt(denom);
          if (spec.momentum > 0) { mom[i] = spec.momentum * mom[i] + inc; w[i] -= mom[i]; } else w[i] -= inc;
        }
        return;
      }
    }
    throw new Error('unknown optimizer ' + spec.type);
  }

  /** Keras 3 BaseOptimizer.apply: clip, weight decay, update_step, constraints, iterations += 1. */
  return function apply(w, grads, constraints) {
    const lr = lrOf();
    const g = clip(grads);
    if (spec.weight_decay > 0) {
      for (const name of Object.keys(g)) w[name] = w[name].map(v => v - v * spec.weight_decay * lr);
    }
    if (spec.type === 'nadam') uProduct = uProduct * spec.beta_1 * (1 - 0.5 * Math.pow(0.96, iterations + 1));
    for (const name of Object.keys(g)) update(name, w[name], g[name], lr);
    for (const [name, c] of Object.entries(constraints)) w[name] = constrain(c, w[name], shapes[name]);
    iterations++;
  };
}

// ------------------------------------------------------------------ constraints (keras/src/constraints)

const shapes = {'dense/kernel': [F, H], 'dense/bias': [H], 'dense_1/kernel': [H, O], 'dense_1/bias': [O]};

/** Norms over axis 0 (every case uses Keras's default axis). */
function columnNorms(w, shape) {
  const cols = shape.length === 1 ? 1 : shape[1];
  const norms = zeros(cols);
  w.forEach((v, i) => { norms[i % cols] += v * v; });
  return norms.map(Math.sqrt);
}

function constrain(c, w, shape) {
  const cols = shape.length === 1 ? 1 : shape[1];
  switch (c.class_name) {
    case 'NonNeg':
      return w.map(v => Math.max(v, 0));
    case 'MaxNorm': {
      const norms = columnNorms(w, shape);
      return w.map((v, i) => { const n = norms[i % cols]; return v * Math.min(Math.max(n, 0), c.config.max_value) / (EPS + n); });
    }
    case 'UnitNorm': {
      const norms = columnNorms(w, shape);
      return w.map((v, i) => v / (EPS + norms[i % cols]));
    }
    case 'MinMaxNorm': {
      const norms = columnNorms(w, shape);
      const {min_value: lo, max_value: hi, rate} = c.config;
      return w.map((v, i) => {
        const n = norms[i % cols];
        return v * (rate * Math.min(Math.max(n, lo), hi) + (1 - rate) * n) / (EPS + n);
      });
    }
  }
  throw new Error('unknown constraint ' + c.class_name);
}

// ------------------------------------------------------------------ cases

const ADAM = {beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7};
const CASES = [
  {name: 'mlp__sgd_nesterov', steps: 3, optimizer: {type: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true}},
  {name: 'mlp__rmsprop', steps: 3, optimizer: {type: 'rmsprop', learning_rate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false}},
  {name: 'mlp__rmsprop_centered', steps: 3, optimizer: {type: 'rmsprop', learning_rate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true}},
  // beta_2 0.3 lets v fall between steps, so amsgrad's running maximum changes the update within 3 steps.
  {name: 'mlp__adam_amsgrad', steps: 3, optimizer: {type: 'adam', learning_rate: 0.05, beta_1: 0.9, beta_2: 0.3, epsilon: 1e-7, amsgrad: true}, differsFrom: {amsgrad: false}},
  {name: 'mlp__adamw', steps: 3, optimizer: {type: 'adamw', learning_rate: 0.01, ...ADAM, amsgrad: false, weight_decay: 0.1}},
  {name: 'mlp__nadam', steps: 3, optimizer: {type: 'nadam', learning_rate: 0.01, ...ADAM}},
  {name: 'mlp__adagrad', steps: 3, optimizer: {type: 'adagrad', learning_rate: 0.05, initial_accumulator_value: 0.1, epsilon: 1e-7}},
  {name: 'mlp__adamax', steps: 3, optimizer: {type: 'adamax', learning_rate: 0.02, ...ADAM}},
  {name: 'mlp__adam_clipnorm', steps: 3, optimizer: {type: 'adam', learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 0.01, amsgrad: false, clipnorm: 0.05}, differsFrom: {clipnorm: 0}},
  {name: 'mlp__sgd_clipnorm', steps: 3, optimizer: {type: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false, clipnorm: 0.05}, differsFrom: {clipnorm: 0}},
  {name: 'mlp__sgd_clipvalue', steps: 3, optimizer: {type: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false, clipvalue: 0.02}, differsFrom: {clipvalue: 0}},
  {name: 'mlp__sgd_global_clipnorm', steps: 3, optimizer: {type: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false, global_clipnorm: 0.1}, differsFrom: {global_clipnorm: 0}},
  {name: 'mlp__sgd_weight_decay', steps: 3, optimizer: {type: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false, weight_decay: 0.5}},
  {name: 'mlp__sgd_exponential_decay', steps: 3, optimizer: {type: 'sgd', momentum: 0, nesterov: false,
    learning_rate: {type: 'exponential_decay', initial_learning_rate: 0.2, decay_steps: 1, decay_rate: 0.5, staircase: false}}},
  {name: 'mlp__sgd_inverse_time_decay', steps: 3, optimizer: {type: 'sgd', momentum: 0, nesterov: false,
    learning_rate: {type: 'inverse_time_decay', initial_learning_rate: 0.2, decay_steps: 2, decay_rate: 1, staircase: true}}},
  {name: 'mlp__sgd_piecewise_constant_decay', steps: 3, optimizer: {type: 'sgd', momentum: 0, nesterov: false,
    learning_rate: {type: 'piecewise_constant_decay', boundaries: [0, 1], values: [0.2, 0.1, 0.05]}}},
  {name: 'mlp__sgd_polynomial_decay', steps: 3, optimizer: {type: 'sgd', momentum: 0.5, nesterov: false,
    learning_rate: {type: 'polynomial_decay', initial_learning_rate: 0.2, decay_steps: 2, end_learning_rate: 0.01, power: 2, cycle: false}}},
  {name: 'mlp__adam_cosine_decay_warmup', steps: 3, optimizer: {type: 'adam', ...ADAM, amsgrad: false,
    learning_rate: {type: 'cosine_decay', initial_learning_rate: 0.005, decay_steps: 2, alpha: 0.1, warmup_target: 0.02, warmup_steps: 1}}},
  {name: 'mlp_regularized__sgd', steps: 1, optimizer: {type: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false},
    regs: {weights: {'dense/kernel': {l1: 0.01, l2: 0.02}, 'dense/bias': {l1: 0, l2: 0.05}, 'dense_1/kernel': {l1: 0.03, l2: 0}},
      activity: {l1: 0.02, l2: 0.1}}},
  {name: 'mlp_regularized__adam', steps: 3, optimizer: {type: 'adam', learning_rate: 0.01, ...ADAM, amsgrad: false},
    regs: {weights: {'dense/kernel': {l1: 0.01, l2: 0.02}, 'dense_1/bias': {l1: 0.05, l2: 0}}, activity: {l1: 0, l2: 0.1}}},
  {name: 'mlp_sample_weight__sgd', steps: 2, optimizer: {type: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false},
    sampleWeight: [0.5, 2, 0, 1, 3]},
  {name: 'mlp_constrained__sgd', steps: 2, optimizer: {type: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false},
    constraints: {
      'dense/kernel': {class_name: 'MaxNorm', config: {max_value: 0.4, axis: 0}},
      'dense/bias': {class_name: 'NonNeg', config: {}},
      'dense_1/kernel': {class_name: 'UnitNorm', config: {axis: 0}},
      'dense_1/bias': {class_name: 'MinMaxNorm', config: {min_value: 0.2, max_value: 0.3, rate: 0.7, axis: 0}},
    }},
];

function topology(c) {
  const reg = name => {
    const r = c.regs?.weights?.[name];
    return r ? {class_name: 'L1L2', config: {l1: r.l1, l2: r.l2}} : null;
  };
  const con = name => c.constraints?.[name] ?? null;
  const act = c.regs?.activity ? {class_name: 'L1L2', config: {l1: c.regs.activity.l1, l2: c.regs.activity.l2}} : null;
  return [
    {class_name: 'Dense', config: {name: 'dense', units: H, activation: 'tanh', use_bias: true, batch_input_shape: [null, F], dtype: 'float32',
      kernel_regularizer: reg('dense/kernel'), bias_regularizer: reg('dense/bias'), activity_regularizer: act,
      kernel_constraint: con('dense/kernel'), bias_constraint: con('dense/bias'), trainable: true}},
    {class_name: 'Dense', config: {name: 'dense_1', units: O, activation: 'linear', use_bias: true,
      kernel_regularizer: reg('dense_1/kernel'), bias_regularizer: reg('dense_1/bias'), activity_regularizer: null,
      kernel_constraint: con('dense_1/kernel'), bias_constraint: con('dense_1/bias'), trainable: true}},
  ];
}

function train(c, optimizer, w0, x, t) {
  const w = Object.fromEntries(Object.entries(w0).map(([k, v]) => [k, v.slice()]));
  const apply = makeOptimizer(optimizer);
  const losses = [];
  for (let s = 0; s < c.steps; s++) {
    const {loss, grads} = lossAndGrads(w, x, t, c.regs ?? {}, c.sampleWeight);
    losses.push(loss);
    apply(w, grads, c.constraints ?? {});
  }
  losses.push(lossAndGrads(w, x, t, c.regs ?? {}, c.sampleWeight).loss);
  return {w, losses};
}

/** Checks the hand-written gradients against central differences of the float64 loss. */
function checkGradients(w, x, t, regs, name, sampleWeight) {
  const {grads} = lossAndGrads(w, x, t, regs, sampleWeight);
  for (const k of Object.keys(w)) {
    for (let i = 0; i < w[k].length; i++) {
      const keep = w[k][i];
      const h = 1e-6;
      w[k][i] = keep + h;
      const up = lossAndGrads(w, x, t, regs, sampleWeight).loss;
      w[k][i] = keep - h;
      const down = lossAndGrads(w, x, t, regs, sampleWeight).loss;
      w[k][i] = keep;
      const fd = (up - down) / (2 * h);
      if (Math.abs(fd - grads[k][i]) > 1e-7 + 1e-6 * Math.abs(fd)) {
        throw new Error(name + ': gradient of ' + k + '[' + i + '] is ' + grads[k][i] + ', finite difference ' + fd);
      }
    }
  }
}

const names = [];
for (const c of CASES) {
  const w0 = {};
  for (const [name, shape] of Object.entries(shapes)) {
    w0[name] = uniform('mlp', name, shape.reduce((a, b) => a * b, 1), -0.8, 0.8);
  }
  const x = uniform('mlp', 'input', N * F, -1, 1);
  const t = uniform('mlp', 'target', N * O, -1, 1);
  checkGradients(w0, x, t, c.regs ?? {}, c.name, c.sampleWeight);
  const {w, losses} = train(c, c.optimizer, w0, x, t);
  if (c.differsFrom) {
    // The option must change the result, or the case would not test it.
    const other = train(c, {...c.optimizer, ...c.differsFrom}, w0, x, t).w;
    const diff = Math.max(...Object.keys(w).flatMap(k => w[k].map((v, i) => Math.abs(v - other[k][i]))));
    if (diff < 1e-4) throw new Error(c.name + ': the option changes the weights by only ' + diff);
  }
  const dir = path.join(OUT, c.name);
  fs.rmSync(dir, {recursive: true, force: true});
  writeModel(dir, 'mlp', topology(c), Object.entries(shapes).map(([name, shape]) => ({name, shape, values: w0[name]})));
  writeJson(path.join(dir, 'input.json'), tensorJson([N, F], x));
  writeJson(path.join(dir, 'target.json'), tensorJson([N, O], t));
  if (c.sampleWeight) writeJson(path.join(dir, 'sample_weight.json'), tensorJson([N], c.sampleWeight));
  writeJson(path.join(dir, 'train.json'), {
    rnn4j_compile: {loss: 'mean_squared_error', optimizer: c.optimizer, metrics: []},
    steps: c.steps,
    batch_size: N,
    shuffle: false,
    reference: 'float64 re-implementation of Keras 3 (integration-tests/tfjs/oracle/reference64.mjs): ' +
      'lr = schedule(iterations) or learning_rate; clip gradients (clipnorm per weight, else global_clipnorm, else clipvalue); ' +
      'w -= w * weight_decay * lr; update_step; constraints; iterations += 1. Loss = MSE + weight penalties + activity penalty / batch.',
  });
  writeJson(path.join(dir, 'losses.json'), {losses, note: 'losses[k] = total loss (with regularization) at the weights after k steps, float64'});
  const after = Object.keys(shapes).flatMap(k => w[k]);
  fs.writeFileSync(path.join(dir, 'weights_after.bin'), f32bytes(after));
  writeJson(path.join(dir, 'weights_after.json'), Object.fromEntries(Object.keys(shapes).map(k => [k, {shape: shapes[k], data: w[k]}])));
  writeJson(path.join(dir, 'meta.json'), {name: c.name, generator: 'integration-tests/tfjs/oracle/reference64.mjs', seed: SEED,
    description: 'Dense(4, tanh) -> Dense(2), MSE, ' + c.steps + ' full-batch step(s), float64 reference', optimizer: c.optimizer,
    regularizers: c.regs ?? null, constraints: c.constraints ?? null});
  names.push(c.name);
}
addToIndex(path.join(OUT, 'index.txt'), names);
console.log('wrote ' + names.length + ' cases to ' + OUT);
