package org.rnn4j.zoo.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A trained model's score on held-out data, ready to print and save: {@link ForecastScore} for
 * series models, {@link LanguageModelScore} for text models.
 */
public sealed interface Score permits ForecastScore, LanguageModelScore {

    /** The {@code evaluation.json} document. */
    ObjectNode toJson();

    /** The lines a person reads, tables and verdicts included. */
    List<String> report();

    /** A one-line warning about the evidence (e.g. too few test forecasts), if any. */
    default Optional<String> warning() {
        return Optional.empty();
    }

    /** What a forecast plot draws, for series models. */
    default Optional<ForecastPlot> plot() {
        return Optional.empty();
    }
}
