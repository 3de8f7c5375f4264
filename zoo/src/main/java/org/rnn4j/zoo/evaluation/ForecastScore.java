package org.rnn4j.zoo.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A series model's score: what was forecast ({@code header}), the {@link ForecastEvaluation} and
 * the data of its plot.
 */
public record ForecastScore(String header, ForecastEvaluation evaluation, ForecastPlot forecastPlot) implements Score {

    @Override
    public ObjectNode toJson() {
        return evaluation.toJson();
    }

    @Override
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        lines.add(header);
        lines.addAll(evaluation.report());
        return lines;
    }

    @Override
    public Optional<String> warning() {
        return evaluation.smallSampleWarning();
    }

    @Override
    public Optional<ForecastPlot> plot() {
        return Optional.of(forecastPlot);
    }
}
