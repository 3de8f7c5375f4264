package org.rnn4j.it;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bootstrap.Rnn4j;

/**
 * Loads the backends named in args[0] in that order in this fresh JVM, runs the same model on
 * each, and exits 0 only if both ran and agree within 1e-5 (JavaCPP is shared by both engines).
 */
public final class LoadOrderMain {
    private LoadOrderMain() {}

    public static void main(String[] args) {
        ModelSpec spec = Sequential.builder()
                .input(6, 2)
                .add(Layers.lstm(5).returnSequences(true))
                .add(Layers.gru(3))
                .add(Layers.dense(1))
                .build();
        Tensor x = Fixtures.floats(1, 4, 6, 2);
        List<Tensor> outs = new ArrayList<>();
        List<Backend> backends = new ArrayList<>();
        for (String id : args[0].split(",", -1)) {
            Backend b = Rnn4j.backend(id);
            backends.add(b);
            try (Model m = Model.create(spec, b, 9)) {
                outs.add(m.predict(x));
            }
        }
        double diff = outs.get(0).maxAbsDiff(outs.get(1));
        backends.forEach(Backend::close);
        System.out.println("order=" + args[0] + " maxAbsDiff=" + diff);
        System.exit(diff <= 1e-5 ? 0 : 3);
    }
}
