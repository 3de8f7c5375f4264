/**
 * Turning text into ids and tensors and back: a character vocabulary, one-hot and id sequences cut
 * from a long text with next-character targets, and a Keras-compatible word tokenizer with
 * {@code pad_sequences}. Vocabularies are JSON-friendly so they are saved with a model. A text of
 * any size is encoded once into a memory-mapped {@link org.rnn4j.data.text.TokenFile}.
 */
package org.rnn4j.data.text;
