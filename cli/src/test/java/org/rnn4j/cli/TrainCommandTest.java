package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to 'train' is refused before any engine starts or anything is written. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void unknownZooModel() {
        CliRun.of("train", "--zoo", "stock-transformer")
                .badInput("unknown zoo model 'stock-transformer'; known: [stock-simple-rnn");
    }

    @Test
    void wrongColumnListsTheColumns() {
        CliRun.of(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--column",
                        "Price",
                        "--out",
                        tmp.resolve("run").toString())
                .badInput("no column 'Price'; columns present: [open, high, low, close, adjclose, volume]");
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void wrongColumnInACsvFile() throws Exception {
        Path csv = tmp.resolve("prices.csv");
        Files.writeString(csv, "Date,Open,Close\n2020-01-01,1,2\n2020-01-02,2,3\n");
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--data", csv.toString(), "--column", "Adj Close")
                .badInput("no value column 'Adj Close'; columns present: [Date, Open, Close]");
    }

    @Test
    void missingDataFile() {
        CliRun.of(
                        "train",
                        "--zoo",
                        "stock-lstm",
                        "--data",
                        tmp.resolve("missing.csv").toString())
                .badInput("no such file");
    }

    @Test
    void tooShortSeries() throws Exception {
        Path csv = tmp.resolve("short.csv");
        StringBuilder b = new StringBuilder("Date,Close\n");
        for (int d = 1; d <= 20; d++) {
            b.append(String.format("2020-01-%02d,%d%n", d, 100 + d));
        }
        Files.writeString(csv, b);
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--data", csv.toString())
                .badInput("windows of 50 rows");
    }

    @Test
    void textDataForAStockModel() {
        CliRun.of("train", "--zoo", "stock-gru", "--data", "kjv").badInput("--data kjv is text, not a series");
    }

    @Test
    void zeroEpochs() {
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--epochs", "0")
                .badInput("--epochs must be between 1 and 1000000, got 0");
    }

    @Test
    void notANumber() {
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--epochs", "many").badInput("'many' is not an int");
    }

    @Test
    void zooAndSpecAreExclusive() {
        CliRun.of("train", "--zoo", "stock-lstm", "--spec", "x.json").badInput("mutually exclusive");
    }

    @Test
    void zooOrSpecIsRequired() {
        CliRun.of("train")
                .badInput("give --zoo NAME or --spec FILE (or --resume with the --out of an interrupted run)");
    }

    @Test
    void resumeNeedsACheckpoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        CliRun.of("train", "--resume", "--out", tmp.toString()).badInput("has no training checkpoint to resume");
        CliRun.of("train", "--resume").badInput("--resume needs --out DIR");
        CliRun.of("train", "--resume", "--zoo", "stock-simple-rnn", "--out", tmp.toString())
                .badInput("drop --zoo/--spec");
    }

    @Test
    void gapPolicyNamesAreChecked() {
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--gaps", "interpolate")
                .badInput("--gaps must be refuse, drop or ffill, got 'interpolate'");
    }

    @Test
    void specThatReadsNeitherSeriesNorText() throws Exception {
        Path f = tmp.resolve("spec.json");
        Files.writeString(
                f,
                "{\"format\": \"rnn4j.spec/1\", \"input\": {\"shape\": [50, 2]},"
                        + " \"layers\": [{\"type\": \"LSTM\", \"units\": 4, \"return_sequences\": true},"
                        + " {\"type\": \"Dense\", \"units\": 1}]}");
        CliRun.of("train", "--spec", f.toString())
                .badInput("train --spec trains series models, input [window, columns] float32 and output [horizon]");
    }

    @Test
    void multiColumnSpecNeedsItsColumns() throws Exception {
        Path f = tmp.resolve("five.json");
        Files.writeString(
                f,
                "{\"format\": \"rnn4j.spec/1\", \"input\": {\"shape\": [20, 5]},"
                        + " \"layers\": [{\"type\": \"LSTM\", \"units\": 4}, {\"type\": \"Dense\", \"units\": 1}]}");
        CliRun.of("train", "--spec", f.toString()).badInput("reads 5 columns per step (input [20, 5]); name them");
        CliRun.of("train", "--spec", f.toString(), "--columns", "open,close")
                .badInput("reads 5 column(s) per step (input [20, 5]) but 2 are named");
    }

    @Test
    void dataBlockIsStrict() throws Exception {
        Path f = tmp.resolve("block.json");
        Files.writeString(
                f,
                "{\"format\": \"rnn4j.spec/1\", \"input\": {\"shape\": [20, 1]},"
                        + " \"layers\": [{\"type\": \"Dense\", \"units\": 1}],"
                        + " \"data\": {\"kind\": \"series\", \"colums\": [\"close\"]}}");
        CliRun.of("train", "--spec", f.toString()).badInput("$.data.colums: unknown field 'colums'");
    }

    @Test
    void longFormatWithoutSymbolListsTheSymbols() {
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--data", "stocks")
                .badInput("its column 'symbol' names 5 series [MSFT, AMZN, IBM, GOOG, AAPL]; pick one with --symbol");
    }

    @Test
    void unknownSymbolListsTheSymbols() {
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--data", "stocks", "--symbol", "TSLA")
                .badInput("no data row matches symbol = 'TSLA' (values present: [MSFT, AMZN, IBM, GOOG, AAPL])");
    }

    @Test
    void differencingNamesAreChecked() {
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--differencing", "log")
                .badInput("--differencing must be none, absolute or percent, got 'log'");
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--differencing", "none", "--order", "2")
                .badInput("--order applies to absolute or percent differencing");
    }

    @Test
    void recursiveMultiColumnHorizonIsRefused() {
        CliRun.of(
                        "train",
                        "--zoo",
                        "stock-simple-rnn",
                        "--columns",
                        "open,close",
                        "--target",
                        "close",
                        "--horizon",
                        "3",
                        "--strategy",
                        "recursive")
                .badInput("a recursive forecast feeds each prediction back");
    }

    @Test
    void badDelimiterAndDateFormat() {
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--delimiter", "ab")
                .badInput("--delimiter must be one character");
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--date-format", "qqqq-bb")
                .badInput("date format 'qqqq-bb' is not a valid pattern");
    }

    @Test
    void malformedSpec() throws Exception {
        Path f = tmp.resolve("spec.json");
        Files.writeString(
                f,
                "{\"format\": \"rnn4j.spec/1\", \"input\": {\"shape\": [50, 1]}, \"layers\": [{\"type\": \"LSTM\"}]}");
        CliRun.of("train", "--spec", f.toString()).badInput("$.layers[0]");
    }

    @Test
    void refusesToOverwriteAFolderThatIsNotARun() throws Exception {
        Path out = tmp.resolve("photos");
        Files.createDirectories(out);
        Files.writeString(out.resolve("holiday.jpg"), "x");
        CliRun.of("train", "--zoo", "stock-simple-rnn", "--out", out.toString())
                .badInput("is not an rnn4j run directory");
    }

    @Test
    void columnOnATextModel() {
        CliRun.of("train", "--zoo", "char-onehot-lstm", "--column", "close")
                .badInput("apply to series models; char-onehot-lstm is a text model");
    }
}
