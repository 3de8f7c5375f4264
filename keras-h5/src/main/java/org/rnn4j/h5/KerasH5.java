package org.rnn4j.h5;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.input.BoundedInput;
import org.rnn4j.api.input.ForeignReader;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.api.input.InputTooLargeException;
import org.rnn4j.api.io.LoadedModel;
import org.rnn4j.api.io.ResourceLimits;
import org.rnn4j.api.json.KerasJson;
import org.rnn4j.api.json.SpecException;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.LayerInfo;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.WeightSpec;
import org.rnn4j.api.tensor.Tensor;

/**
 * Reads Keras weights from HDF5 with the pure-Java jHDF reader, mapped onto rnn4j's Keras names:
 * <ul>
 *   <li>Keras 3 {@code .weights.h5}: {@code layers/<layer>/vars/<i>}, recurrent cells under
 *       {@code cell/vars}, Bidirectional under {@code forward_layer/} and {@code backward_layer/},
 *       TimeDistributed under {@code layer/};</li>
 *   <li>Keras 2 {@code save_weights} files: root attribute {@code layer_names}, one group per layer
 *       with the attribute {@code weight_names};</li>
 *   <li>Keras 2 {@code model.save} files ({@code .h5}): the same under {@code model_weights}, the
 *       architecture in the root attribute {@code model_config};</li>
 *   <li>{@code .keras} zips: {@code config.json} + {@code model.weights.h5}, read in memory by
 *       {@link KerasArchive} (nothing is extracted, so no path in the archive is ever used).</li>
 * </ul>
 *
 * <p>Files from strangers: only regular files within {@link InputCap#HDF5} are opened, and jHDF runs
 * through {@link ForeignReader#isolated}: on its own thread with a bounded stack and a time limit,
 * so a B-tree that points back to itself ends in one line, and whatever jHDF throws (exceptions,
 * {@code StackOverflowError}, {@code OutOfMemoryError}) becomes one line. Dataset shapes are matched
 * against the architecture before any data is read.
 */
public final class KerasH5 {
    private KerasH5() {}

    /** True for the file names this reader handles. */
    public static boolean handles(Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".h5") || n.endsWith(".hdf5") || n.endsWith(".keras");
    }

    /** Loads a whole model: a {@code .keras} archive or a Keras 2 {@code model.save} {@code .h5}. */
    public static LoadedModel load(Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".keras")) {
            return loadArchive(file);
        }
        long size = checkHdf5(file);
        return ForeignReader.isolated(file + " (HDF5)", size, () -> {
            try (HdfFile h5 = open(file)) {
                Attribute config = h5.getAttribute("model_config");
                if (config == null) {
                    throw new SpecException(
                            "",
                            file + " holds weights only (no model_config); give the architecture too:"
                                    + " --model <model.json or spec> with --weights " + file.getFileName());
                }
                String json = attributeText(config);
                if (json.length() > InputCap.JSON.value()) {
                    throw new SpecException(
                            "",
                            file + ": the model_config attribute is larger than " + InputCap.JSON.describe() + "; "
                                    + InputCap.JSON.wayOut());
                }
                ModelSpec spec = KerasJson.read(json, file + ":model_config");
                ResourceLimits.check(spec);
                return new LoadedModel(spec, readWeights(h5, spec, file.toString()), null, file);
            }
        });
    }

    /** Reads the weights of {@code spec} from any of the HDF5 layouts above. */
    public static Map<String, Tensor> readWeights(Path file, ModelSpec spec) throws IOException {
        ResourceLimits.check(spec);
        long size = checkHdf5(file);
        return ForeignReader.isolated(file + " (HDF5)", size, () -> {
            try (HdfFile h5 = open(file)) {
                return readWeights(h5, spec, file.toString());
            }
        });
    }

    /**
     * A regular file within {@link InputCap#HDF5} with the HDF5 signature. jHDF reads by offset,
     * so the cap bounds the file's size (exact for a regular file) rather than a count of reads.
     */
    /**
     * jHDF over a read-only mapping of the file: read that way, jHDF slices the mapping wherever a
     * file's structure points, and a length beyond the end fails at once. Over a file channel it
     * allocates whatever length a header claims before reading (a crafted 853-byte file made it
     * zero gigabytes for 9 s).
     */
    private static HdfFile open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return HdfFile.fromByteBuffer(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
        }
    }

    private static long checkHdf5(Path file) throws IOException {
        BoundedInput.regularFile(file);
        long size = Files.size(file);
        if (size > Math.min(InputCap.HDF5.value(), Integer.MAX_VALUE)) {
            throw new InputTooLargeException(file, InputCap.HDF5, "is " + size + " bytes, larger than");
        }
        byte[] head = new byte[8];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 8) < 8 || head[1] != 'H' || head[2] != 'D' || head[3] != 'F') {
                throw new SpecException(
                        "",
                        file
                                + " is not an HDF5 file (no HDF5 signature); give a Keras .h5, .weights.h5 or .keras file");
            }
        }
        return size;
    }

    private static LoadedModel loadArchive(Path file) throws IOException {
        KerasArchive archive = KerasArchive.read(file);
        String configSource = file + "!" + KerasArchive.CONFIG;
        ModelSpec spec = ForeignReader.run(
                configSource,
                () -> KerasJson.read(
                        SpecJson.parse(new String(archive.config(), StandardCharsets.UTF_8), configSource)));
        ResourceLimits.check(spec);
        String weightsSource = file + "!" + KerasArchive.WEIGHTS;
        byte[] weights = archive.weights();
        return ForeignReader.isolated(weightsSource + " (HDF5)", weights.length, () -> {
            try (HdfFile h5 = HdfFile.fromBytes(weights)) {
                return new LoadedModel(spec, readWeights(h5, spec, weightsSource), null, file);
            }
        });
    }

    static Map<String, Tensor> readWeights(HdfFile h5, ModelSpec spec, String source) {
        List<List<Dataset>> perLayer;
        if (h5.getAttribute("layer_names") != null) {
            perLayer = keras2(h5, spec, source);
        } else if (h5.getChild("model_weights") instanceof Group g && g.getAttribute("layer_names") != null) {
            perLayer = keras2(g, spec, source);
        } else if (h5.getChild("layers") instanceof Group layers) {
            perLayer = keras3(layers, spec, source);
        } else {
            throw new SpecException(
                    "", source + ": no Keras weights found (no layer_names attribute, model_weights or layers group)");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<LayerInfo> infos = spec.layerInfos();
        for (int i = 0; i < infos.size(); i++) {
            List<WeightSpec> expected = infos.get(i).weights();
            List<Dataset> found = perLayer.get(i);
            if (found.size() != expected.size()) {
                throw new SpecException(
                        "",
                        source + ": layer '" + infos.get(i).name() + "' has " + found.size()
                                + " weights in the file but the" + " architecture needs " + expected.size() + " "
                                + expected);
            }
            for (int w = 0; w < expected.size(); w++) {
                out.put(expected.get(w).name(), tensor(found.get(w), expected.get(w), source));
            }
        }
        return out;
    }

    private static List<List<Dataset>> keras2(Group root, ModelSpec spec, String source) {
        List<List<Dataset>> out = new ArrayList<>();
        for (LayerInfo info : spec.layerInfos()) {
            List<Dataset> ds = new ArrayList<>();
            if (root.getChild(info.name()) instanceof Group g) {
                Attribute names = g.getAttribute("weight_names");
                for (String name : names == null ? new String[0] : strings(names)) {
                    if (!(g.getByPath(name) instanceof Dataset d)) {
                        throw new SpecException(
                                "",
                                source + ": layer '" + info.name() + "' lists weight " + name
                                        + " but has no such dataset");
                    }
                    ds.add(d);
                }
            } else if (!info.weights().isEmpty()) {
                throw new SpecException(
                        "",
                        source + ": the file has no weights for layer '" + info.name() + "'; layers in the file: "
                                + Arrays.toString(strings(root.getAttribute("layer_names"))));
            }
            out.add(ds);
        }
        return out;
    }

    private static List<List<Dataset>> keras3(Group layers, ModelSpec spec, String source) {
        List<List<Dataset>> out = new ArrayList<>();
        for (LayerInfo info : spec.layerInfos()) {
            List<Dataset> ds = new ArrayList<>();
            if (layers.getChild(info.name()) instanceof Group g) {
                collect(g, ds, new ArrayList<>(List.of(layers.getAddress())), source);
            } else if (!info.weights().isEmpty()) {
                throw new SpecException(
                        "",
                        source + ": the file has no group layers/" + info.name() + "; it has "
                                + layers.getChildren().keySet());
            }
            out.add(ds);
        }
        return out;
    }

    private static final List<String> ORDER = List.of("vars", "cell", "forward_layer", "backward_layer", "layer");

    /** Keras 3 nests a weight at most layers/wrapper/forward_layer/cell/vars/i; far deeper is a crafted file. */
    static final int MAX_DEPTH = 16;

    /**
     * Datasets of a Keras 3 layer group in weight order: vars by index, then cell, forward,
     * backward, wrapped layer. {@code above} holds the addresses of the groups above {@code g}: a
     * group that contains one of them (a loop in the file) or nests beyond {@link #MAX_DEPTH} is
     * refused, since walking it would never end.
     */
    private static void collect(Group g, List<Dataset> out, List<Long> above, String source) {
        if (above.contains(g.getAddress()) || above.size() > MAX_DEPTH) {
            throw new SpecException(
                    "",
                    source + ": the group " + g.getName() + " contains itself or nests deeper than " + MAX_DEPTH
                            + " groups; the file is corrupt");
        }
        above.add(g.getAddress());
        List<Node> children = new ArrayList<>(g.getChildren().values());
        if (g.getName().equals("vars")) {
            children.sort(Comparator.comparingInt(n -> index(n.getName())));
            for (Node n : children) {
                if (n instanceof Dataset d) {
                    out.add(d);
                }
            }
            return;
        }
        children.sort(Comparator.comparingInt(
                        (Node n) -> ORDER.contains(n.getName()) ? ORDER.indexOf(n.getName()) : ORDER.size())
                .thenComparing(Node::getName));
        for (Node n : children) {
            if (n instanceof Group child) {
                collect(child, out, above, source);
            }
        }
        above.remove(above.size() - 1);
    }

    private static int index(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static Tensor tensor(Dataset d, WeightSpec w, String source) {
        int[] dims = d.getDimensions();
        if (!Arrays.equals(dims, w.shapeArray())) {
            throw new SpecException(
                    "",
                    source + ": dataset " + d.getPath() + " has shape " + Arrays.toString(dims) + " but weight '"
                            + w.name() + "' needs " + w.shape());
        }
        Class<?> type = d.getJavaType();
        if (type != float.class && type != double.class) {
            throw new SpecException(
                    "", source + ": dataset " + d.getPath() + " is " + type.getSimpleName() + ", not float32/float64");
        }
        if (d instanceof ChunkedDataset c) {
            // Chunks are allocated whole: a chunk far larger than its dataset is a crafted file.
            long chunk = 1;
            for (int dim : c.getChunkDimensions()) {
                chunk = Math.multiplyExact(chunk, Math.max(1, dim));
            }
            if (chunk > Math.max(Tensor.size(dims), 1 << 20)) {
                throw new SpecException(
                        "",
                        source + ": dataset " + d.getPath() + " has chunks of " + chunk + " values for "
                                + Tensor.size(dims) + " values; the file is corrupt");
            }
        }
        Object flat = d.getDataFlat();
        float[] values;
        if (flat instanceof float[] f) {
            values = f;
        } else if (flat instanceof double[] dd) {
            values = new float[dd.length];
            for (int i = 0; i < dd.length; i++) {
                values[i] = (float) dd[i];
            }
        } else {
            throw new SpecException(
                    "",
                    source + ": dataset " + d.getPath() + " is "
                            + d.getJavaType().getSimpleName() + ", not float32/float64");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new SpecException(
                        "", source + ": weight '" + w.name() + "' holds " + values[i] + " at index " + i);
            }
        }
        return Tensor.wrap(values, dims);
    }

    private static String[] strings(Attribute a) {
        Object data = a.getData();
        if (data instanceof String[] s) {
            return s;
        }
        if (data instanceof String s) {
            return new String[] {s};
        }
        throw new SpecException("", "attribute " + a.getName() + " is not a list of strings");
    }

    private static String attributeText(Attribute a) {
        Object data = a.getData();
        if (data instanceof String s) {
            return s;
        }
        if (data instanceof String[] s && s.length == 1) {
            return s[0];
        }
        throw new SpecException("", "attribute " + a.getName() + " is not a JSON string");
    }
}
