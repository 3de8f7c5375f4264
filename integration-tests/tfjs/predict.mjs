// Usage: node predict.mjs <model dir> <input tensor.json>
// Prints the model output as rnn4j tensor JSON. Loads from memory (no tfjs-node file IO handler needed).
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

const [dir, inputFile] = process.argv.slice(2);
const model = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
const specs = model.weightsManifest.flatMap(g => g.weights);
const buffers = model.weightsManifest.flatMap(g => g.paths.map(p => fs.readFileSync(path.join(dir, p))));
const all = Buffer.concat(buffers);
const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
await tf.setBackend('cpu');
const loaded = await tfl.loadLayersModel(tf.io.fromMemory({modelTopology: model.modelTopology, weightSpecs: specs, weightData}));
const input = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
const x = tf.tensor(input.data, input.shape, input.dtype === 'int32' ? 'int32' : 'float32');
const y = loaded.predict(x);
process.stdout.write(JSON.stringify({shape: y.shape, dtype: 'float32', data: Array.from(await y.data())}) + '\n');
