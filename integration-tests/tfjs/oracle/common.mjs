// Shared by the reference-case generators: a seeded float32-rounded generator, and the files of a
// case folder in the layout api/src/test/resources/oracle/README.md describes.
import fs from 'node:fs';
import path from 'node:path';

export const SEED = 27182;

export function fnv1a(s) {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(s, 'utf8')) {
    h ^= c;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: uniform doubles in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n float32-representable values in [lo, hi), from the stream of (case, what). */
export function uniform(caseName, what, n, lo, hi) {
  const r = mulberry32(SEED ^ fnv1a(caseName + '/' + what));
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.fround(lo + (hi - lo) * r());
  return out;
}

export function size(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

/** Writes float32 little-endian values. */
export function f32bytes(values) {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeFloatLE(v, i * 4));
  return b;
}

export function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

export function tensorJson(shape, data, dtype = 'float32') {
  return {shape, dtype, data: Array.from(data)};
}

/** The TensorFlow.js layers-model file of a Sequential topology and its weights (manifest order). */
export function writeModel(dir, name, layers, weights) {
  fs.mkdirSync(dir, {recursive: true});
  const model = {
    format: 'layers-model',
    generatedBy: 'rnn4j integration-tests/tfjs/oracle',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: {name, layers},
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{paths: ['weights.bin'], weights: weights.map(w => ({name: w.name, shape: w.shape, dtype: 'float32'}))}],
  };
  writeJson(path.join(dir, 'model.json'), model);
  fs.writeFileSync(path.join(dir, 'weights.bin'), f32bytes(weights.flatMap(w => w.values)));
  writeJson(path.join(dir, 'weights.json'), Object.fromEntries(weights.map(w => [w.name, {shape: w.shape, data: w.values}])));
}

/** Adds case names to an index.txt, keeping the ones already there. */
export function addToIndex(file, names) {
  const have = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').map(s => s.trim()).filter(Boolean) : [];
  for (const n of names) if (!have.includes(n)) have.push(n);
  fs.writeFileSync(file, have.join('\n') + '\n');
}
