package org.rnn4j.spark.train;

import java.util.List;
import org.apache.spark.sql.Row;
import org.rnn4j.api.tensor.Tensor;
import scala.Tuple2;

/** Turns a partition's table rows into one {@link SampleBlock}, checking every row. */
final class TableRows {
    private TableRows() {}

    static SampleBlock block(
            int first,
            List<Tuple2<Row, Long>> rows,
            String xColumn,
            String yColumn,
            int[] sampleShape,
            int[] targetShape,
            boolean tokens) {
        int n = rows.size();
        int per = Math.toIntExact(Tensor.size(sampleShape));
        int perY = Math.toIntExact(Tensor.size(targetShape));
        float[] xf = tokens ? null : new float[n * per];
        int[] xi = tokens ? new int[n * per] : null;
        float[] yf = tokens ? null : new float[n * perY];
        int[] yi = tokens ? new int[n * perY] : null;
        for (int r = 0; r < n; r++) {
            Row row = rows.get(r)._1();
            long index = rows.get(r)._2();
            if (index != first + r) {
                throw new IllegalStateException("rows of one partition are not consecutive: " + index);
            }
            List<Object> x = values(row, 0, xColumn, index, per);
            for (int i = 0; i < per; i++) {
                if (tokens) {
                    xi[r * per + i] = Math.toIntExact(((Number) x.get(i)).longValue());
                } else {
                    xf[r * per + i] = ((Number) x.get(i)).floatValue();
                }
            }
            List<Object> y = values(row, 1, yColumn, index, perY);
            for (int i = 0; i < perY; i++) {
                if (tokens) {
                    yi[r * perY + i] = Math.toIntExact(((Number) y.get(i)).longValue());
                } else {
                    yf[r * perY + i] = ((Number) y.get(i)).floatValue();
                }
            }
        }
        int[] xShape = prepend(n, sampleShape);
        int[] yShape = prepend(n, targetShape);
        Tensor x = tokens ? Tensor.wrapInts(xi, xShape) : Tensor.wrap(xf, xShape);
        Tensor y = tokens ? Tensor.wrapInts(yi, yShape) : Tensor.wrap(yf, yShape);
        return SampleBlock.of(first, x, y);
    }

    private static List<Object> values(Row row, int i, String column, long index, int expected) {
        if (row.isNullAt(i)) {
            throw new IllegalArgumentException("column '" + column + "' is null in row " + index + "; drop or fill it");
        }
        Object v = row.get(i);
        List<Object> values;
        if (v instanceof Number) {
            values = List.of(v);
        } else if (v instanceof scala.collection.Seq<?> seq) {
            @SuppressWarnings("unchecked")
            List<Object> l = scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<Object>) seq);
            values = l;
        } else {
            throw new IllegalArgumentException(
                    "column '" + column + "' holds " + v.getClass().getSimpleName() + " in row " + index
                            + "; it must hold numbers or arrays of numbers");
        }
        if (values.size() != expected) {
            throw new IllegalArgumentException("column '" + column + "' has " + values.size() + " values in row "
                    + index + " but the model takes " + expected + " per sample");
        }
        for (Object o : values) {
            if (!(o instanceof Number)) {
                throw new IllegalArgumentException(
                        "column '" + column + "' holds a null or non-number in row " + index + "; clean it first");
            }
        }
        return values;
    }

    private static int[] prepend(int n, int[] shape) {
        int[] out = new int[shape.length + 1];
        out[0] = n;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }
}
