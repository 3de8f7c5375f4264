/**
 * The demo datasets shipped inside this module ({@link org.rnn4j.data.DemoData}) and the root of
 * the data-preparation packages: CSV series ({@code csv}), series transforms ({@code series}),
 * sliding windows ({@code window}), batching ({@code batch}), text encoding ({@code text}) and
 * sampling for generation ({@code sampling}). Nothing here depends on an engine.
 */
package org.rnn4j.data;
