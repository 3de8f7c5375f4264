/**
 * The demo datasets shipped inside this module ({@link org.rnn4j.data.DemoData}) and the root of
 * the data-preparation packages: CSV series ({@code csv}), series transforms ({@code series}),
 * sliding windows ({@code window}, datasets in the api's batch contract), text encoding
 * ({@code text}), memory-mapped caches of files larger than memory ({@code cache}) and sampling
 * for generation ({@code sampling}). Nothing here depends on an engine.
 */
package org.rnn4j.data;
