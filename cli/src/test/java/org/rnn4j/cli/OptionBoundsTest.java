package org.rnn4j.cli;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every numeric option has an upper bound, checked before anything is read: each case names a
 * model or data file that does not exist, so the bound's message can only come first.
 */
class OptionBoundsTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        List.of("generate", "--model", "/nope", "--length", "1000000000"),
                        "--length must be between 1 and 100000, got 1000000000"),
                Arguments.of(
                        List.of("generate", "--model", "/nope", "--temperature", "1e9"),
                        "--temperature must be between 0 and 100, got 1.0E9"),
                Arguments.of(
                        List.of("forecast", "--model", "/nope", "--steps", "1000000000"),
                        "--steps must be between 1 and 10000, got 1000000000"),
                Arguments.of(
                        List.of("train", "--zoo", "stock-lstm", "--data", "/nope.csv", "--epochs", "2000000000"),
                        "--epochs must be between 1 and 1000000, got 2000000000"),
                Arguments.of(
                        List.of("train", "--zoo", "stock-lstm", "--data", "/nope.csv", "--batch-size", "2000000000"),
                        "--batch-size must be between 1 and 1048576, got 2000000000"),
                Arguments.of(
                        List.of(
                                "train",
                                "--zoo",
                                "char-onehot-lstm",
                                "--data",
                                "/nope.txt",
                                "--max-chars",
                                "2000000000"),
                        "--max-chars must be between 0 and 100000000, got 2000000000"),
                Arguments.of(
                        List.of("forecast", "--model", "/nope", "--samples", "1000000"),
                        "--samples must be between 2 and 10000, got 1000000"),
                Arguments.of(
                        List.of("train", "--zoo", "stock-lstm", "--data", "/nope.csv", "--horizon", "1000000"),
                        "--horizon must be between 1 and 10000, got 1000000"),
                Arguments.of(
                        List.of("train", "--zoo", "stock-lstm", "--data", "/nope.csv", "--order", "50"),
                        "--order must be between 1 and 10, got 50"),
                Arguments.of(
                        List.of("train", "--zoo", "stock-lstm", "--data", "/nope.csv", "--season", "1000000"),
                        "--season must be between 0 and 100000, got 1000000"),
                Arguments.of(
                        List.of("evaluate", "--model", "/nope", "--backtest", "--folds", "100000"),
                        "--folds must be between 1 and 10000, got 100000"),
                Arguments.of(
                        List.of("evaluate", "--model", "/nope", "--backtest", "--refit", "--epochs", "0"),
                        "--epochs must be between 1 and 1000000, got 0"),
                Arguments.of(
                        List.of("compare", "--zoo", "stock-lstm", "--data", "/nope.csv", "--epochs", "2000000"),
                        "--epochs must be between 1 and 1000000, got 2000000"),
                Arguments.of(
                        List.of(
                                "fit",
                                "--model",
                                "/nope",
                                "--x",
                                "/x.json",
                                "--y",
                                "/y.json",
                                "--loss",
                                "mse",
                                "--out",
                                "/tmp/never",
                                "--batch-size",
                                "0"),
                        "--batch-size must be between 1 and 1048576, got 0"),
                Arguments.of(
                        List.of(
                                "fit",
                                "--model",
                                "/nope",
                                "--x",
                                "/x.json",
                                "--y",
                                "/y.json",
                                "--loss",
                                "mse",
                                "--out",
                                "/tmp/never",
                                "--validation-split",
                                "1.5"),
                        "--validation-split must be a fraction in [0, 1), got 1.5"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void outOfBoundsIsRefusedFirst(List<String> args, String message) {
        CliRun.of(args.toArray(String[]::new)).badInput(message);
    }
}
