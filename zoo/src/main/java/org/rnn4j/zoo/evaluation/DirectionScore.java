package org.rnn4j.zoo.evaluation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * How often the model called the direction of the move right, beside what needs no model: always
 * saying "up", and always saying the direction that was most frequent over the training split.
 * A model that mostly predicts "up" on a rising market scores well without skill; these baselines
 * show it.
 *
 * @param n               test forecasts
 * @param modelAccuracy   share with the sign of the predicted move equal to the true one
 * @param predictedUp     how many forecasts moved up from the last known price
 * @param actualUp        how many true moves were up
 * @param alwaysUp        {@code actualUp / n}: the accuracy of always predicting up
 * @param majorityUp      whether up moves outnumbered down moves in the training split
 * @param majority        the accuracy of always predicting the training split's majority direction
 */
public record DirectionScore(
        int n,
        double modelAccuracy,
        int predictedUp,
        int actualUp,
        double alwaysUp,
        boolean majorityUp,
        double majority) {

    /**
     * @param trainingMoves the true moves over the same number of steps inside the training split
     */
    static DirectionScore of(double[] actual, double[] predicted, double[] origin, double[] trainingMoves) {
        int n = actual.length;
        int right = 0;
        int predictedUp = 0;
        int actualUp = 0;
        int actualDown = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.signum(predicted[i] - origin[i]);
            double a = Math.signum(actual[i] - origin[i]);
            right += p == a ? 1 : 0;
            predictedUp += p > 0 ? 1 : 0;
            actualUp += a > 0 ? 1 : 0;
            actualDown += a < 0 ? 1 : 0;
        }
        int trainUp = 0;
        int trainDown = 0;
        for (double m : trainingMoves) {
            trainUp += m > 0 ? 1 : 0;
            trainDown += m < 0 ? 1 : 0;
        }
        boolean majorityUp = trainUp >= trainDown;
        return new DirectionScore(
                n,
                (double) right / n,
                predictedUp,
                actualUp,
                (double) actualUp / n,
                majorityUp,
                (double) (majorityUp ? actualUp : actualDown) / n);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model", modelAccuracy);
        o.put("predictedUp", predictedUp);
        o.put("actualUp", actualUp);
        o.put("alwaysUp", alwaysUp);
        o.put("majorityDirection", majorityUp ? "up" : "down");
        o.put("majority", majority);
        return o;
    }

    /** One sentence for people. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "Direction: the model was right on %.1f%% of %d moves, predicting up %d times (%.1f%%);"
                        + " always up would be right on %.1f%%, the training split's majority (%s) on %.1f%%.",
                100 * modelAccuracy,
                n,
                predictedUp,
                100.0 * predictedUp / n,
                100 * alwaysUp,
                majorityUp ? "up" : "down",
                100 * majority);
    }
}
