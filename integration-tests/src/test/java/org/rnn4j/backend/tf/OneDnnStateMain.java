package org.rnn4j.backend.tf;

import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.bootstrap.Rnn4j;

/**
 * A library user's first prediction on the TF backend, then what the backend did about oneDNN
 * ({@link TfOneDnn#state}, package-private, hence this package) on the first line of stdout and
 * "ok" on the second. For {@code org.rnn4j.it.OneDnnIT}.
 */
public final class OneDnnStateMain {
    private OneDnnStateMain() {}

    public static void main(String[] args) {
        ModelSpec spec = Sequential.builder()
                .input(6, 2)
                .add(Layers.lstm(5))
                .add(Layers.dense(1))
                .build();
        try (Backend b = Rnn4j.backend("tf");
                Model m = Model.create(spec, b, 9)) {
            m.predict(Tensor.zeros(4, 6, 2));
        }
        System.out.println(TfOneDnn.state());
        System.out.println("ok");
    }
}
