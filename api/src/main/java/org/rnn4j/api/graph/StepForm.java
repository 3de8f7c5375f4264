package org.rnn4j.api.graph;

/**
 * How {@link ModelGraph} builds one recurrent layer's steps. Every form computes the same
 * equations; they differ in how the work is cut into an engine's ops, which decides their speed
 * on a given shape and CPU (issue 20: which one wins was measured to change with the shape). The
 * engine says which form a layer gets ({@link Ops#stepForm}).
 */
public enum StepForm {
    /**
     * Every step computes {@code x_t.W + b + h'.U} itself, reading its step of the input directly.
     * No projection of the whole sequence waits for the layer below, so an engine that runs
     * independent ops side by side can overlap the input products with the recurrent chain and a
     * stacked layer's steps with the steps of the layer below.
     */
    PLAIN,
    /**
     * The input projection {@code x.W + b} of all steps is one matmul before the recurrence, unstacked
     * once; each step adds {@code h'.U}. Few large products: the form that wins when the per-step
     * input products are too small to be worth their own ops.
     */
    HOISTED,
    /**
     * For an LSTM, {@link #HOISTED} with the gates along the first axis: the states kept as {@code
     * [units, batch]} and each step's pre-activations computed as {@code [4 * units, batch]}, so the
     * products read their operands in other orientations (on some CPUs and kernels a product whose
     * operand rows are the 4 * units gates runs at half speed when read transposed). Other layers
     * build as {@link #HOISTED}.
     */
    GATE_MAJOR,
    /**
     * The engine's fused layer ({@link Ops#lstm}, {@link Ops#gru}, {@link Ops#simpleRnn}) where it
     * offers one for the layer; when it declines, {@link #HOISTED}.
     */
    FUSED;

    /** The form's name in lower case, as cache files and options write it. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The form named {@code name} (any case), or empty. */
    public static java.util.Optional<StepForm> parse(String name) {
        for (StepForm f : values()) {
            if (f.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }
}
