/** Files: saved models (TensorFlow.js layers-model + rnn4j.json, atomic), tensor JSON, resource limits. */
package org.rnn4j.api.io;
