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
                .badInput("too short for windows of 50");
    }

    @Test
    void textDataForAStockModel() {
        CliRun.of("train", "--zoo", "stock-gru", "--data", "kjv").badInput("--data kjv is text, not a price series");
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
    void specThatDoesNotReadPrices() {
        CliRun.of(
                        "train",
                        "--spec",
                        CliRun.exampleSpec("embedding_1000_64.json").toString())
                .badInput("train --spec trains price models: the input must be [window, 1] float32");
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
                .badInput("--column applies to price series");
    }
}
