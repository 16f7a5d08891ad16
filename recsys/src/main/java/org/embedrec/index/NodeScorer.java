package org.embedrec.index;

/** The similarity of a graph node to what a search is looking for (larger is nearer). */
interface NodeScorer {
    float score(int node);
}
