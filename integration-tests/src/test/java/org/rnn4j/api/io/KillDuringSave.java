package org.rnn4j.api.io;

import java.util.Arrays;
import org.rnn4j.cli.Main;

/**
 * Runs the real CLI and kills the process ({@link Runtime#halt}: no finally blocks, no shutdown
 * hooks, like SIGKILL) right after the {@code n}-th save of the process reaches {@code STEP}:
 * {@code java -cp <it test classpath> org.rnn4j.api.io.KillDuringSave STEP n rnn4j-args...}.
 * It lives in {@code org.rnn4j.api.io} to reach the save's test seam, {@link ModelFiles#afterStep}.
 * Exits 3 if that save never reached that step.
 */
public final class KillDuringSave {
    private KillDuringSave() {}

    public static void main(String[] args) {
        ModelFiles.SaveStep step = ModelFiles.SaveStep.valueOf(args[0]);
        int n = Integer.parseInt(args[1]);
        int[] saves = {0};
        ModelFiles.afterStep = s -> {
            if (s == ModelFiles.SaveStep.TEMP_CREATED) {
                saves[0]++;
            }
            if (s == step && saves[0] == n) {
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
        };
        int code = Main.run(Arrays.copyOfRange(args, 2, args.length));
        System.exit(code == 0 ? 3 : code);
    }
}
