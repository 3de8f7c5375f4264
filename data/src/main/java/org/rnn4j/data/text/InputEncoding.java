package org.rnn4j.data.text;

/** How text windows are fed to a model. */
public enum InputEncoding {
    /** {@code [n, time, vocab]} float32, for a recurrent layer reading characters directly. */
    ONE_HOT,
    /** {@code [n, time]} int32 ids, for an Embedding layer. */
    IDS
}
