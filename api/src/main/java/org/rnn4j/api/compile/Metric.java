package org.rnn4j.api.compile;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keras metrics reported per epoch, accumulated over the epoch's samples as Keras accumulates them
 * (computed in the api, in double precision, from the model's float32 outputs).
 *
 * <ul>
 *   <li>{@code accuracy} picks its kind from the shapes, as Keras 3: binary (threshold 0.5) when
 *       the output has one value per sample, sparse categorical when the targets are class ids,
 *       else categorical (argmax).</li>
 *   <li>{@code precision}, {@code recall}: binary, prediction {@code > 0.5}, any non-zero target
 *       positive; {@code auc}: ROC area from 200 thresholds, trapezoids (Keras's defaults).</li>
 *   <li>the top-k accuracies use k = 5 (Keras's default); a target whose score ties the k-th is in.</li>
 *   <li>{@code r2_score}: per output column over the whole epoch, then averaged; outputs must be
 *       {@code [batch, features]}.</li>
 * </ul>
 */
public enum Metric {
    MAE("mae", false, "mean_absolute_error"),
    MSE("mse", false, "mean_squared_error"),
    RMSE("rmse", false, "root_mean_squared_error"),
    ACCURACY("accuracy", true, "acc"),
    BINARY_ACCURACY("binary_accuracy", true),
    CATEGORICAL_ACCURACY("categorical_accuracy", true),
    SPARSE_CATEGORICAL_ACCURACY("sparse_categorical_accuracy", true),
    TOP_K_CATEGORICAL_ACCURACY("top_k_categorical_accuracy", true),
    SPARSE_TOP_K_CATEGORICAL_ACCURACY("sparse_top_k_categorical_accuracy", true),
    PRECISION("precision", true),
    RECALL("recall", true),
    AUC("auc", true),
    MAPE("mape", false, "mean_absolute_percentage_error"),
    MSLE("msle", false, "mean_squared_logarithmic_error"),
    R2_SCORE("r2_score", true, "r2");

    /** Keras's default k of the top-k accuracies. */
    public static final int TOP_K = 5;

    /** Keras's default number of AUC thresholds. */
    public static final int AUC_THRESHOLDS = 200;

    private final String jsonName;
    private final boolean higherIsBetter;
    private final List<String> aliases;

    Metric(String jsonName, boolean higherIsBetter, String... aliases) {
        this.jsonName = jsonName;
        this.higherIsBetter = higherIsBetter;
        this.aliases = List.of(aliases);
    }

    public String jsonName() {
        return jsonName;
    }

    /** Keras's metric direction: whether a larger value is better (accuracy) rather than worse (errors). */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether the metric reads int class ids as targets (the sparse ones). */
    public boolean sparseTargets() {
        return this == SPARSE_CATEGORICAL_ACCURACY || this == SPARSE_TOP_K_CATEGORICAL_ACCURACY;
    }

    /** Refuses a metric whose targets do not fit the loss's (class ids vs the output's shape). */
    void check(Loss loss) {
        if (this == ACCURACY) {
            return;
        }
        if (sparseTargets() && !loss.sparseTargets()) {
            throw new IllegalArgumentException("metric " + jsonName + " reads class ids as targets, but loss "
                    + loss.jsonName() + " takes targets shaped like the output; use "
                    + jsonName.replace("sparse_", ""));
        }
        if (!sparseTargets() && loss.sparseTargets()) {
            throw new IllegalArgumentException("metric " + jsonName + " needs targets shaped like the output, but "
                    + "sparse_categorical_crossentropy takes class ids; use accuracy or the sparse_ metrics");
        }
    }

    public static Metric fromJson(String name) {
        String n = name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        for (Metric m : values()) {
            if (m.jsonName.equals(n) || m.aliases.contains(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name + "'; known: "
                + Arrays.stream(values()).map(Metric::jsonName).toList());
    }
}
