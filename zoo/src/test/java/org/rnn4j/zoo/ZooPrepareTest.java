package org.rnn4j.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.api.data.TensorDataset;
import org.rnn4j.data.DemoData;
import org.rnn4j.zoo.plan.DataRequest;
import org.rnn4j.zoo.plan.TrainingPlan;
import org.rnn4j.zoo.recipe.StockData;

/** {@code ZooModel.prepare(series)} gives a library user the very tensors {@code train --zoo} trains on. */
class ZooPrepareTest {

    @Test
    void theLibraryCallPreparesWhatTrainZooTrainsOn() throws Exception {
        StockData library = Zoo.get("stock-simple-rnn").prepare(DemoData.sp500());
        StockData cli = (StockData) TrainingPlan.forZoo(Zoo.get("stock-simple-rnn"), DataRequest.none())
                .data();
        // 5,105 closes, 70/15/15: train prices [0, 3573), validation [3573, 4339), test [4339, 5105);
        // a window of 50 percent changes predicts the price 51 rows after its first.
        assertEquals(3573 - 51, library.trainingSet().count());
        assertEquals(4339 - 3573, library.validationSet().orElseThrow().count());
        assertEquals(5105 - 4339, library.testSet().count());
        assertEquals(4339, library.firstTestPriceIndex());
        assertSame(cli.trainingSet(), library.trainingSet(), "train");
        assertSame(cli.validationSet().orElseThrow(), library.validationSet().orElseThrow(), "validation");
        assertSame(cli.testSet(), library.testSet(), "test");
        assertEquals(cli.preprocessing().toJson(), library.preprocessing().toJson());
    }

    private static void assertSame(TensorDataset expected, TensorDataset actual, String split) {
        assertArrayEquals(expected.x().shape(), actual.x().shape(), split);
        assertArrayEquals(expected.x().floatView(), actual.x().floatView(), split);
        assertArrayEquals(expected.y().shape(), actual.y().shape(), split);
        assertArrayEquals(expected.y().floatView(), actual.y().floatView(), split);
    }
}
