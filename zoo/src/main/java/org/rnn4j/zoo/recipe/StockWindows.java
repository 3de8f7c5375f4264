package org.rnn4j.zoo.recipe;

/**
 * Which windows of a cut series train, validate and test, and the test origins: shared by the
 * in-memory {@link StockData} and the streamed {@link StreamedStockData}, so both cut the same
 * windows. Window {@code i} reads transformed rows {@code [i, i + window)}, i.e. series rows up to
 * its origin {@code i + lead - 1}, and predicts the target at rows {@code origin + 1 .. origin + outputs}.
 */
record StockWindows(int lead, int outputs, int horizon, Cut cut) {

    static StockWindows of(StockPreprocessing p, Cut cut) {
        return new StockWindows(p.window() + p.order(), p.outputs(), p.horizon(), cut);
    }

    private int windowOf(int origin) {
        return origin - lead + 1;
    }

    int trainFrom() {
        return cut.trainFrom();
    }

    int trainTo() {
        return windowOf(cut.trainEnd() - 1 - outputs) + 1;
    }

    int validationFrom() {
        return Math.max(trainFrom(), windowOf(cut.trainEnd() - 1));
    }

    int validationTo() {
        return Math.max(validationFrom(), windowOf(cut.validationEnd() - 1 - outputs) + 1);
    }

    int testFrom() {
        return Math.max(trainFrom(), windowOf(cut.validationEnd() - 1));
    }

    int testTo() {
        return Math.max(testFrom(), windowOf(cut.testEnd() - 1 - outputs) + 1);
    }

    /** The series rows the test forecasts start from: each is the last row known when forecasting. */
    int[] testOrigins() {
        int first = Math.max(cut.validationEnd() - 1, cut.trainFrom() + lead - 1);
        int last = cut.testEnd() - 1 - horizon;
        int[] o = new int[Math.max(0, last - first + 1)];
        for (int i = 0; i < o.length; i++) {
            o[i] = first + i;
        }
        return o;
    }
}
