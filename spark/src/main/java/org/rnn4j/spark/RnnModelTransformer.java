package org.rnn4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bootstrap.Rnn4j;
import org.rnn4j.spark.engine.ExecutorEngines;
import org.rnn4j.spark.engine.ExecutorModels;

/**
 * Scores a {@code Dataset<Row>} with a saved rnn4j model, as a Spark ML {@link Transformer}: it
 * appends {@code outputCol}, the model's output for each row's input, flattened
 * ({@code array<float>}; a one-value output such as a next price is a one-element array).
 *
 * <p>The input column holds one sample per row: a window as {@code array<double|float>} of
 * {@code time * features} values in time-major order or as {@code array<array<double|float>>}
 * ({@code [time][features]}), or token ids as {@code array<int|long>} for models whose input is
 * int32. Each executor reads the model at {@code modelPath} once (a local path every executor can
 * read, or a Hadoop path such as {@code hdfs://...}) and runs it on {@code backend} ({@code tf} or
 * {@code dl4j}), {@code batchSize} rows at a time within each partition. Saved and loaded with
 * Spark ML persistence ({@link #write()}, {@link #load(String)}); the saved stage holds the model
 * path, not a copy of the model.
 *
 * <pre>{@code
 * RnnModelTransformer scorer = new RnnModelTransformer()
 *         .setModelPath("/shared/runs/stock-simple-rnn").setInputCol("window").setOutputCol("prediction");
 * Dataset<Row> scored = scorer.transform(windows);
 * }</pre>
 */
public final class RnnModelTransformer extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelPath;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> backend;
    private final IntParam batchSize;

    public RnnModelTransformer() {
        this(Identifiable$.MODULE$.randomUID("rnn4jModel"));
    }

    public RnnModelTransformer(String uid) {
        this.uid = uid;
        modelPath = new Param<>(this, "modelPath", "the saved rnn4j model folder, readable by every executor");
        inputCol = new Param<>(this, "inputCol", "the input column: windows or token ids, one sample per row");
        outputCol = new Param<>(this, "outputCol", "the appended column of model outputs (array<float>)");
        backend = new Param<>(
                this, "backend", "the engine on the executors: tf or dl4j", ParamValidators.inArray(new String[] {
                    "tf", "dl4j"
                }));
        batchSize = new IntParam(this, "batchSize", "rows per engine call", ParamValidators.gtEq(1));
        setDefault(inputCol, "input");
        setDefault(outputCol, "prediction");
        setDefault(backend, Rnn4j.DEFAULT_BACKEND);
        setDefault(batchSize, 256);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> modelPath() {
        return modelPath;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> backend() {
        return backend;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public RnnModelTransformer setModelPath(String value) {
        set(modelPath, value);
        return this;
    }

    public RnnModelTransformer setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    public RnnModelTransformer setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    public RnnModelTransformer setBackend(String value) {
        set(backend, value);
        return this;
    }

    public RnnModelTransformer setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /** The input schema plus {@code outputCol array<float>}; a missing or mistyped input column is refused. */
    @Override
    public StructType transformSchema(StructType schema) {
        String in = $(inputCol);
        String out = $(outputCol);
        if (!isDefined(modelPath)) {
            throw new IllegalArgumentException("RnnModelTransformer needs modelPath, the saved model folder");
        }
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException("input column '" + in + "' is missing; the data has columns "
                    + Arrays.toString(schema.fieldNames()) + "; choose one with inputCol");
        }
        InputKind.of(in, schema.apply(in).dataType());
        if (Arrays.asList(schema.fieldNames()).contains(out)) {
            throw new IllegalArgumentException(
                    "output column '" + out + "' already exists; choose another name with outputCol");
        }
        return schema.add(new StructField(
                out,
                DataTypes.createArrayType(DataTypes.FloatType, false),
                false,
                org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outSchema = transformSchema(dataset.schema());
        Dataset<Row> df = dataset.toDF();
        int column = df.schema().fieldIndex($(inputCol));
        Scorer scorer = new Scorer(
                $(modelPath),
                $(backend),
                $(inputCol),
                column,
                InputKind.of($(inputCol), df.schema().apply(column).dataType()),
                (Integer) $(batchSize));
        return df.mapPartitions(scorer, Encoders.row(outSchema));
    }

    @Override
    public RnnModelTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<RnnModelTransformer> read() {
        return new DefaultParamsReader<>();
    }

    public static RnnModelTransformer load(String path) {
        return read().load(path);
    }

    /** How an input column's values become a tensor. */
    enum InputKind {
        FLAT_FLOATS,
        NESTED_FLOATS,
        TOKEN_IDS;

        static InputKind of(String column, DataType type) {
            if (type instanceof ArrayType a) {
                DataType e = a.elementType();
                if (e == DataTypes.DoubleType || e == DataTypes.FloatType) {
                    return FLAT_FLOATS;
                }
                if (e == DataTypes.IntegerType || e == DataTypes.LongType) {
                    return TOKEN_IDS;
                }
                if (e instanceof ArrayType inner
                        && (inner.elementType() == DataTypes.DoubleType
                                || inner.elementType() == DataTypes.FloatType)) {
                    return NESTED_FLOATS;
                }
            }
            throw new IllegalArgumentException("input column '" + column + "' is " + type.simpleString()
                    + "; it must hold one sample per row: array<double> (a window, time-major),"
                    + " array<array<double>> ([time][features]) or array<int> (token ids)");
        }
    }

    /** The per-partition work: batches of rows through the executor's engine. */
    private record Scorer(String path, String backendId, String column, int index, InputKind kind, int batch)
            implements MapPartitionsFunction<Row, Row> {

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            if (!rows.hasNext()) {
                return rows;
            }
            ExecutorModels.Loaded model = ExecutorModels.get(path);
            ModelSpec spec = ExecutorEngines.spec(model.specJson());
            int[] sample = spec.inputShapeArray();
            int features = sample.length > 1 ? sample[sample.length - 1] : 1;
            boolean ints = spec.inputDType() == DType.INT32;
            if (ints != (kind == InputKind.TOKEN_IDS)) {
                throw new IllegalArgumentException("input column '" + column + "' holds "
                        + (kind == InputKind.TOKEN_IDS ? "integers" : "floating-point values") + " but model " + path
                        + " takes " + spec.inputDType().jsonName()
                        + (ints ? " token ids (array<int>)" : " values (array<double>)"));
            }
            return new Iterator<>() {
                private Iterator<Row> scored = java.util.Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    return scored.hasNext() || rows.hasNext();
                }

                @Override
                public Row next() {
                    if (!scored.hasNext()) {
                        if (!rows.hasNext()) {
                            throw new NoSuchElementException();
                        }
                        scored = scoreBatch(model, sample, features).iterator();
                    }
                    return scored.next();
                }

                private List<Row> scoreBatch(ExecutorModels.Loaded m, int[] shape, int feat) {
                    List<Row> in = new ArrayList<>(batch);
                    while (rows.hasNext() && in.size() < batch) {
                        in.add(rows.next());
                    }
                    Tensor x = tensor(in, shape, feat);
                    Tensor y = ExecutorEngines.withProgram(backendId, m.specJson(), p -> p.predict(x, m.weights()));
                    int per = Math.toIntExact(y.size() / in.size());
                    float[] all = y.floatView();
                    List<Row> out = new ArrayList<>(in.size());
                    for (int r = 0; r < in.size(); r++) {
                        Row row = in.get(r);
                        Object[] values = new Object[row.length() + 1];
                        for (int c = 0; c < row.length(); c++) {
                            values[c] = row.get(c);
                        }
                        values[row.length()] = Arrays.copyOfRange(all, r * per, (r + 1) * per);
                        out.add(RowFactory.create(values));
                    }
                    return out;
                }
            };
        }

        /** The rows' samples as one batch {@code [n, time, features]} (or int {@code [n, time]}). */
        private Tensor tensor(List<Row> rows, int[] sample, int features) {
            int n = rows.size();
            int per = -1;
            float[] floats = null;
            int[] ids = null;
            for (int r = 0; r < n; r++) {
                Row row = rows.get(r);
                if (row.isNullAt(index)) {
                    throw new IllegalArgumentException("input column '" + column + "' is null in a row; drop or fill"
                            + " null inputs before scoring");
                }
                List<Object> values = flatten(row.getList(index));
                if (per < 0) {
                    per = values.size();
                    int expected = expectedLength(sample);
                    if (expected > 0 && per != expected || per == 0 || per % features != 0) {
                        throw new IllegalArgumentException("input column '" + column + "' has " + per
                                + " values in a row but the model takes " + Arrays.toString(sample) + " per sample ("
                                + (expected > 0 ? expected : "a multiple of " + features) + " values)");
                    }
                    if (kind == InputKind.TOKEN_IDS) {
                        ids = new int[n * per];
                    } else {
                        floats = new float[n * per];
                    }
                } else if (values.size() != per) {
                    throw new IllegalArgumentException("input column '" + column + "' has rows of " + per + " and "
                            + values.size() + " values in one partition; the model takes equal-length samples");
                }
                for (int i = 0; i < per; i++) {
                    Object v = values.get(i);
                    if (v == null) {
                        throw new IllegalArgumentException(
                                "input column '" + column + "' holds a null value in a row; fill or drop it first");
                    }
                    if (ids != null) {
                        ids[r * per + i] = Math.toIntExact(((Number) v).longValue());
                    } else {
                        floats[r * per + i] = ((Number) v).floatValue();
                    }
                }
            }
            if (ids != null) {
                return Tensor.wrapInts(ids, n, per);
            }
            return sample.length == 1 ? Tensor.wrap(floats, n, per) : Tensor.wrap(floats, n, per / features, features);
        }

        private static int expectedLength(int[] sample) {
            int size = 1;
            for (int d : sample) {
                if (d < 0) {
                    return -1;
                }
                size *= d;
            }
            return size;
        }

        @SuppressWarnings("unchecked")
        private List<Object> flatten(List<Object> values) {
            if (kind != InputKind.NESTED_FLOATS) {
                return values;
            }
            List<Object> flat = new ArrayList<>();
            for (Object step : values) {
                if (step == null) {
                    throw new IllegalArgumentException(
                            "input column '" + column + "' holds a null time step in a row; fill or drop it first");
                }
                flat.addAll(
                        step instanceof List<?> l
                                ? (List<Object>) l
                                : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<Object>) step));
            }
            return flat;
        }
    }
}
