/**
 * Reading numeric time series from CSV files: column choice, date parsing, row order, filters
 * and the policy for missing cells. Bad content is reported as a {@link
 * org.rnn4j.data.csv.CsvFormatException} that names the line, the column and the text. Rows can
 * be streamed one at a time, and a CSV of any size parsed once into a memory-mapped
 * {@link org.rnn4j.data.csv.ColumnFile}.
 */
package org.rnn4j.data.csv;
