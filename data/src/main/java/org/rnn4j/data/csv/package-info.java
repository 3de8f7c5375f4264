/**
 * Reading numeric time series from CSV files: column choice, date parsing, row order, filters
 * and the policy for missing cells. Bad content is reported as a {@link
 * org.rnn4j.data.csv.CsvFormatException} that names the line, the column and the text.
 */
package org.rnn4j.data.csv;
