/** Keras HDF5 weights (.weights.h5, legacy .h5, .keras zips) read with jHDF, mapped to Keras names. */
package org.rnn4j.h5;
