package org.rnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.data.sampling.TemperatureSampler;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.ZooModel;
import org.rnn4j.zoo.recipe.Recipe;
import org.rnn4j.zoo.recipe.TokenPreprocessing;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Samples text from a character or word model. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate exactly N characters (or words, for a word model) after a seed text; the same --seed"
                + " gives the same text.",
        footer = {
            "%nTemperature: 1 samples the model's probabilities, below 1 is more conservative, 0 always takes the likeliest.",
            "Word models lowercase and split the seed as they were trained; unknown words read as <unk>.",
            "%nExamples:",
            "  rnn4j generate --model runs/char-onehot-lstm --seed-text 'In the beginning' --length 200",
            "  rnn4j generate --model runs/char-embedding-lstm --seed-text 'And God said' --length 80 --temperature 0.5 --seed 7",
            "  rnn4j generate --model runs/word-embedding-lstm --seed-text 'and god said' --length 30"
        })
final class GenerateCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    TrainedModelChoice source;

    @Option(
            names = "--seed-text",
            paramLabel = "TEXT",
            defaultValue = "",
            description = "The text to continue (default: none).")
    String seedText;

    @Option(
            names = "--length",
            paramLabel = "N",
            defaultValue = "200",
            description = "Characters (or words) to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(
            names = "--temperature",
            paramLabel = "T",
            defaultValue = "1.0",
            description = "Sampling temperature >= 0 (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "42",
            description = "Random seed of the sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OptionBounds.sampling(length, temperature);
        TemperatureSampler sampler = new TemperatureSampler(temperature);
        Path path = source.model != null ? source.model : shippedModel(source.zoo);
        SavedModel saved = SavedModel.load(path, "generate");
        TokenPreprocessing pre = saved.text("generate");
        pre.checkSeed(seedText); // an unknown character is bad input, found before any engine starts
        String text;
        try (Backend b = backend.open();
                Model m = saved.open(b)) {
            text = pre.generate(seedText, length, sampler, new SplittableRandom(seed), m::predict);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(seedText.isEmpty() ? text : seedText + pre.separator() + text);
        if (System.console() != null) {
            out.println();
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static Path shippedModel(String name) throws IOException {
        ZooModel zoo = Zoo.get(name);
        if (zoo.recipe().dataKind() != Recipe.DataKind.TEXT) {
            throw new IllegalArgumentException("generate works with text models (characters or words); " + name
                    + " is a series model. Text models: "
                    + Zoo.list().stream()
                            .filter(z -> z.recipe().dataKind() == Recipe.DataKind.TEXT)
                            .map(ZooModel::name)
                            .toList());
        }
        return SavedModel.shipped(name, "generate");
    }
}
