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
}
