package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.csv.GapPolicy;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.recipe.StockData;

/** {@code ZooModel.prepare} gives a library user the very tensors {@code train --zoo} trains on. */
class ZooPrepareTest {

    @Test
    void theLibraryCallPreparesWhatTrainZooTrainsOn() throws Exception {
        StockData library = Zoo.get("stock-simple-rnn").prepare(DemoData.sp500());
        StockData cli = TrainCommand.plan("stock-simple-rnn", null, null, null, null, GapPolicy.REFUSE)
                .stock();
        // 5,105 closes, 70/15/15: train prices [0, 3573), validation [3573, 4339), test [4339, 5105);
        // a window of 50 percent changes predicts the price 51 after its start.
        assertEquals(3573 - 51, library.trainX().dim(0));
        assertEquals(4339 - 3573, library.validationX().dim(0));
        assertEquals(5105 - 4339, library.testSize());
        assertEquals(4339, library.firstTestPriceIndex());
        for (String split : new String[] {"train", "validation", "test"}) {
            assertSame(cli, library, split);
        }
        assertEquals(cli.preprocessing(), library.preprocessing());
    }

    private static void assertSame(StockData expected, StockData actual, String split) {
        Tensor[] e = tensors(expected, split);
        Tensor[] a = tensors(actual, split);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(e[i].shape(), a[i].shape(), split);
            assertArrayEquals(e[i].floatView(), a[i].floatView(), split);
        }
    }

    private static Tensor[] tensors(StockData d, String split) {
        return switch (split) {
            case "train" -> new Tensor[] {d.trainX(), d.trainY()};
            case "validation" -> new Tensor[] {d.validationX(), d.validationY()};
            default -> new Tensor[] {d.testX(), d.testY()};
        };
    }
}
