package org.rnn4j.backend.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Ops bound once to their arrays ({@link BoundOp}) compute on the values the arrays hold when they
 * run, not when they were bound, and write where they were told, views included. Expected values
 * are worked by hand.
 */
class BoundOpTest {

    private static INDArray of(float... v) {
        return Nd4j.createFromArray(v).reshape(2, 2);
    }

    private static float[] values(INDArray a) {
        return a.dup().data().asFloat();
    }

    @Test
    void multiplyAndAddReadTheArraysEachRun() {
        INDArray a = of(1, 2, 3, 4);
        INDArray b = of(0.5f, -1, 2, 10);
        INDArray out = Nd4j.create(DataType.FLOAT, 2, 2);
        try (BoundOp product = BoundOp.multiply(a, b, out);
                BoundOp sum = BoundOp.add(a, b, out)) {
            product.run();
            assertArrayEquals(new float[] {0.5f, -2, 6, 40}, values(out));
            a.assign(of(2, 2, 2, 2));
            product.run();
            assertArrayEquals(new float[] {1, -2, 4, 20}, values(out));
            sum.run();
            assertArrayEquals(new float[] {2.5f, 1, 4, 12}, values(out));
        }
    }

    @Test
    void subtractReadsTheArraysEachRun() {
        INDArray a = of(1, 2, 3, 4);
        INDArray b = of(0.5f, -1, 2, 10);
        INDArray out = Nd4j.create(DataType.FLOAT, 2, 2);
        try (BoundOp difference = BoundOp.subtract(a, b, out)) {
            difference.run();
            assertArrayEquals(new float[] {0.5f, 3, 1, -6}, values(out));
            b.assign(of(1, 1, 1, 1));
            difference.run();
            assertArrayEquals(new float[] {0, 1, 2, 3}, values(out));
        }
    }

    @Test
    void inPlaceOpsCompoundAcrossRuns() {
        INDArray a = of(1, 2, 3, 4);
        INDArray b = of(2, 2, 0.5f, -1);
        try (BoundOp times = BoundOp.multiply(a, b, a)) {
            times.run();
            times.run();
            assertArrayEquals(new float[] {4, 8, 0.75f, 4}, values(a));
        }
    }

    @Test
    void oneMinusIntoAnotherArrayAndInPlace() {
        INDArray a = of(0.25f, 1, -2, 0);
        INDArray out = Nd4j.create(DataType.FLOAT, 2, 2);
        try (BoundOp fresh = BoundOp.oneMinus(a, out);
                BoundOp inPlace = BoundOp.oneMinus(a, a)) {
            fresh.run();
            assertArrayEquals(new float[] {0.75f, 0, 3, 1}, values(out));
            inPlace.run();
            assertArrayEquals(new float[] {0.75f, 0, 3, 1}, values(a));
            inPlace.run();
            assertArrayEquals(new float[] {0.25f, 1, -2, 0}, values(a));
        }
    }

    @Test
    void viewsOfALargerArrayAreReadAndWrittenInPlace() {
        // Rows 1..2 of a [4, 2] array: a contiguous block, as an LSTM step's gate is.
        INDArray whole =
                Nd4j.createFromArray(new float[] {9, 9, 1, 2, 3, 4, 9, 9}).reshape(4, 2);
        INDArray block = whole.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        try (BoundOp times = BoundOp.multiply(block, of(10, 10, -1, 0.5f), block)) {
            times.run();
        }
        assertArrayEquals(new float[] {9, 9, 10, 20, -3, 2, 9, 9}, values(whole));
    }

    @Test
    void stridedColumnViewsAreReadAndWrittenInPlace() {
        // Columns 1..2 of [2, 3] arrays: strided, as a GRU step's gate blocks are.
        INDArray gates = Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 6}).reshape(2, 3);
        INDArray other =
                Nd4j.createFromArray(new float[] {10, 20, 30, 40, 50, 60}).reshape(2, 3);
        INDArray left = gates.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
        INDArray right = other.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
        try (BoundOp difference = BoundOp.subtract(right, left, left);
                BoundOp sum = BoundOp.add(left, right, left)) {
            difference.run(); // left = right - left: 18, 27 / 45, 54
            sum.run(); // left += right: 38, 57 / 95, 114
        }
        assertArrayEquals(new float[] {1, 38, 57, 4, 95, 114}, values(gates));
        assertArrayEquals(new float[] {10, 20, 30, 40, 50, 60}, values(other));
    }
}
