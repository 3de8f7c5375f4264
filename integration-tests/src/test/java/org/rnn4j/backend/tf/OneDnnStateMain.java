package org.rnn4j.backend.tf;

import org.rnn4j.it.QuietStartMain;

/**
 * A library user's first prediction on the TF backend ({@link QuietStartMain}, which prints "ok"),
 * then what the backend did about oneDNN ({@link TfOneDnn#state}, package-private, hence this
 * package) as a line {@code onednn=<state>}. For {@code org.rnn4j.it.OneDnnIT}.
 */
public final class OneDnnStateMain {
    private OneDnnStateMain() {}

    public static void main(String[] args) {
        QuietStartMain.main(new String[] {"tf"});
        System.out.println("onednn=" + TfOneDnn.state());
    }
}
