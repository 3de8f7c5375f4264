/**
 * JSON in and out: rnn4j's strict spec format ({@link org.rnn4j.api.json.SpecJson}) and the import
 * of Keras 2 / Keras 3 / TensorFlow.js architectures ({@link org.rnn4j.api.json.KerasJson}).
 * Polymorphism goes through closed lists of names, never class names from the file.
 */
package org.rnn4j.api.json;
