package org.rnn4j.it;

import org.rnn4j.api.Model;
import org.rnn4j.api.backend.Backend;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.bootstrap.Rnn4j;

/** A library user's first prediction on each backend named in args[0], in that order; prints "ok". */
public final class QuietStartMain {
    private QuietStartMain() {}

    public static void main(String[] args) {
        ModelSpec spec = Sequential.builder()
                .input(6, 2)
                .add(Layers.lstm(5))
                .add(Layers.dense(1))
                .build();
        for (String id : args[0].split(",", -1)) {
            try (Backend b = Rnn4j.backend(id);
                    Model m = Model.create(spec, b, 9)) {
                m.predict(Fixtures.floats(1, 4, 6, 2));
            }
        }
        System.out.println("ok");
    }
}
