package org.rnn4j.api.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.rnn4j.api.tensor.Tensor;

/**
 * The recurrent states of a model between two calls, by state name: {@code <layer>/h} (and
 * {@code <layer>/c} for an LSTM), each {@code [batch, units]}. An empty state means zeros, the
 * state a sequence starts from. Immutable; the tensors are copies the caller may keep.
 */
public record RecurrentState(Map<String, Tensor> tensors) {
    public RecurrentState {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        int batch = -1;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (t.rank() != 2) {
                throw new IllegalArgumentException("recurrent state '" + e.getKey() + "' must be [batch, units], got "
                        + java.util.Arrays.toString(t.shape()));
            }
            if (batch >= 0 && t.dim(0) != batch) {
                throw new IllegalArgumentException("recurrent state '" + e.getKey() + "' has batch " + t.dim(0)
                        + " where the others have " + batch);
            }
            batch = t.dim(0);
        }
    }

    /** The state every sequence starts from: zeros. */
    public static RecurrentState zeros() {
        return new RecurrentState(Map.of());
    }

    public boolean isZero() {
        return tensors.isEmpty();
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    public Tensor get(String name) {
        return tensors.get(name);
    }

    /** The batch size, or -1 for the zero state. */
    public int batch() {
        return tensors.isEmpty() ? -1 : tensors.values().iterator().next().dim(0);
    }
}
