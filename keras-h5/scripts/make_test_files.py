#!/usr/bin/python3
"""Writes HDF5 test files in Keras's layouts from the TensorFlow.js reference cases.

Run with Debian's python3-h5py:  /usr/bin/python3 keras-h5/scripts/make_test_files.py
Reads  api/src/test/resources/oracle/cases/<case>/{model.json,weights.bin}
Writes keras-h5/src/test/resources/h5/<case>.{keras3.weights.h5,keras2.weights.h5,legacy.h5,keras}

Layouts (what the Java reader must understand):
  Keras 3 .weights.h5  layers/<layer>/vars/<i>, recurrent cells under layers/<layer>/cell/vars/<i>,
                       Bidirectional under forward_layer/ and backward_layer/, TimeDistributed under layer/
  Keras 2 save_weights root attr layer_names; group per layer with attr weight_names; datasets at those names
  Keras 2 model.save   the same under the group model_weights, plus root attr model_config (JSON)
  .keras zip           config.json + metadata.json + model.weights.h5 (Keras 3 layout)
"""
import json, os, sys, zipfile, io
import numpy as np
import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(ROOT, "api/src/test/resources/oracle/cases")
OUT = os.path.join(ROOT, "keras-h5/src/test/resources/h5")
NAMES = ["lstm_seq_stack", "bidirectional_lstm_concat", "gru_reset_after", "embedding_lstm_softmax", "simple_rnn_stack"]

CELL = {"LSTM": "lstm_cell", "GRU": "gru_cell", "SimpleRNN": "simple_rnn_cell"}


def load(case):
    d = os.path.join(CASES, case)
    model = json.load(open(os.path.join(d, "model.json")))
    raw = np.fromfile(os.path.join(d, "weights.bin"), dtype="<f4")
    weights, off = [], 0
    for w in model["weightsManifest"][0]["weights"]:
        n = int(np.prod(w["shape"])) if w["shape"] else 1
        weights.append((w["name"], np.array(raw[off:off + n]).reshape(w["shape"])))
        off += n
    return model, weights


def by_layer(weights):
    layers = {}
    for name, value in weights:
        layers.setdefault(name.split("/")[0], []).append((name, value))
    return layers


def keras3_group(f, layer_cfg, items):
    cls, cfg = layer_cfg["class_name"], layer_cfg["config"]
    g = f.create_group("layers/" + cfg["name"])
    g.create_group("vars")
    if cls in CELL:
        vars_ = g.create_group("cell/vars")
        for i, (_, v) in enumerate(items):
            vars_.create_dataset(str(i), data=v)
    elif cls == "Bidirectional":
        half = len(items) // 2
        for sub, part in (("forward_layer", items[:half]), ("backward_layer", items[half:])):
            vars_ = g.create_group(sub + "/cell/vars")
            g.create_group(sub + "/vars")
            for i, (_, v) in enumerate(part):
                vars_.create_dataset(str(i), data=v)
    elif cls == "TimeDistributed":
        vars_ = g.create_group("layer/vars")
        for i, (_, v) in enumerate(items):
            vars_.create_dataset(str(i), data=v)
    else:
        for i, (_, v) in enumerate(items):
            g["vars"].create_dataset(str(i), data=v)


def keras2_names(layer_cfg, items):
    cls = layer_cfg["class_name"]
    out = []
    for name, v in items:
        parts = name.split("/")
        if cls in CELL:
            parts.insert(1, CELL[cls])
        elif cls == "Bidirectional":
            inner = layer_cfg["config"]["layer"]["class_name"]
            parts.insert(2, CELL[inner])
        out.append(("/".join(parts) + ":0", v))
    return out


def keras2_groups(f, layers_cfg, layers):
    f.attrs["layer_names"] = np.array([c["config"]["name"].encode() for c in layers_cfg])
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = b"2.15.0"
    for c in layers_cfg:
        name = c["config"]["name"]
        g = f.create_group(name)
        items = keras2_names(c, layers.get(name, []))
        g.attrs["weight_names"] = np.array([n.encode() for n, _ in items])
        for n, v in items:
            g.create_dataset(n, data=v)


def main():
    os.makedirs(OUT, exist_ok=True)
    for case in NAMES:
        model, weights = load(case)
        topo = model["modelTopology"]
        layers_cfg = topo["config"]["layers"]
        layers = by_layer(weights)
        with h5py.File(os.path.join(OUT, case + ".keras3.weights.h5"), "w") as f:
            for c in layers_cfg:
                keras3_group(f, c, layers.get(c["config"]["name"], []))
            f.create_group("vars")
        with h5py.File(os.path.join(OUT, case + ".keras2.weights.h5"), "w") as f:
            keras2_groups(f, layers_cfg, layers)
        with h5py.File(os.path.join(OUT, case + ".legacy.h5"), "w") as f:
            f.attrs["model_config"] = json.dumps(topo).encode()
            f.attrs["keras_version"] = b"2.15.0"
            keras2_groups(f.create_group("model_weights"), layers_cfg, layers)
        buf = io.BytesIO()
        with h5py.File(buf, "w") as f:
            for c in layers_cfg:
                keras3_group(f, c, layers.get(c["config"]["name"], []))
        with zipfile.ZipFile(os.path.join(OUT, case + ".keras"), "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("metadata.json", json.dumps({"keras_version": "3.6.0", "date_saved": "2026-11-26@00:00:00"}))
            z.writestr("config.json", json.dumps(topo))
            z.writestr("model.weights.h5", buf.getvalue())
    print("wrote", len(NAMES) * 4, "files to", OUT)


if __name__ == "__main__":
    sys.exit(main())
