package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.plan.DataRequest;
import org.rnn4j.zoo.plan.SpecFile;
import org.rnn4j.zoo.plan.Streaming;
import org.rnn4j.zoo.plan.TrainingPlan;

/** Reads {@code --zoo NAME} or {@code --spec FILE} and hands the decisions to the zoo's {@link TrainingPlan}. */
final class Plans {
    private Plans() {}

    static TrainingPlan plan(String zoo, Path spec, DataRequest request) throws IOException {
        return plan(zoo, spec, request, Streaming.OFF);
    }

    /** As {@link #plan(String, Path, DataRequest)}, a large {@code --data} file streamed as {@code streaming} decides. */
    static TrainingPlan plan(String zoo, Path spec, DataRequest request, Streaming streaming) throws IOException {
        if (zoo != null) {
            return TrainingPlan.forZoo(Zoo.get(zoo), request, streaming);
        }
        SpecFile file = SpecFile.readIfRnn4j(spec);
        if (file == null) {
            // Keras and TensorFlow.js files carry no data block; their shapes decide.
            file = new SpecFile(ModelSource.spec(spec), null);
        }
        return TrainingPlan.forSpec(file.spec(), file.data(), request, streaming);
    }
}
